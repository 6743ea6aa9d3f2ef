"""Challenge 02: three fetches.

`fetch` is an async function: `await fetch(url)` returns the body of that URL after about one
second. This version works, but it fetches one URL after another, so three URLs take three seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str]:
    """Return the body of every URL, in the order of `urls`."""
    bodies = []
    # TODO: these awaits run one after another. Start all the fetches, then wait for them together.
    for url in urls:
        bodies.append(await fetch(url))
    return bodies
