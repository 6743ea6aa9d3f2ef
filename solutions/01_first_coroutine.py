"""Reference solution for challenge 01 (one correct way; `asyncio.sleep(seconds, result=...)` works too)."""

from __future__ import annotations

import asyncio


async def brew(drink: str, seconds: float) -> str:
    """Wait `seconds` seconds, letting other coroutines run meanwhile; return f"{drink} is ready"."""
    # `await asyncio.sleep(seconds)` suspends this coroutine and hands control back to the event
    # loop, which runs other coroutines until the time is up and then resumes this one. That is why
    # two brews started together finish together. time.sleep(seconds) would instead stop the whole
    # thread, loop included, so nothing else could run until it returned. Without `await`,
    # asyncio.sleep(seconds) only creates a coroutine object and drops it: no waiting happens.
    await asyncio.sleep(seconds)
    return f"{drink} is ready"
