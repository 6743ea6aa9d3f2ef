"""Reference solution for challenge 02 (one correct way among several; tasks or a TaskGroup work too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str]:
    """Return the body of every URL, in the order of `urls`."""
    # Calling fetch(url) only creates a coroutine; nothing waits yet. gather schedules them all on
    # the loop at once, so the three one-second waits overlap, and it returns the results in the
    # order of its arguments, not the order they finished.
    bodies = await asyncio.gather(*(fetch(url) for url in urls))
    return list(bodies)
