"""Challenge 09: partial failures.

`fetch` is an async function: `await fetch(url)` returns the body of that URL after a short wait,
or raises an exception (a refused connection, a timeout, a 403) for some of them. This version
overlaps the fetches, but the first failure makes it raise, and every body it already had is lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str | Exception]:
    """One item per URL, in the order of `urls`: the body, or the exception fetch raised for it."""
    # TODO: one failing fetch makes gather raise here, so nothing is returned. Keep every outcome:
    # a body where the fetch worked, the exception object itself where it failed.
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
