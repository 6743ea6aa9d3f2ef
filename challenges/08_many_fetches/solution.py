"""Challenge 08: many fetches, in order.

`fetch` is an async function: `await fetch(url)` returns the body of that URL after a wait that
differs from URL to URL (0.1 s to 0.6 s). This version works, but it fetches one URL after another,
so ten URLs take the sum of all ten waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str]:
    """Return the body of every URL, in the order of `urls` (an empty list gives an empty list)."""
    bodies = []
    # TODO: each await finishes before the next fetch starts. Start all the fetches first, then wait
    # for them together, and keep the bodies in the order of `urls`.
    for url in urls:
        bodies.append(await fetch(url))
    return bodies
