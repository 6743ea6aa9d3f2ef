"""Reference solution for challenge 11 (a pool of `limit` workers taking URLs from an asyncio.Queue,
or the semaphore with a TaskGroup, pass too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def scrape(fetch: Callable[[str], Awaitable[str]], urls: list[str], limit: int = 5) -> list[str]:
    """Every page, in the order of `urls`, with never more than `limit` fetches in flight."""
    # One semaphore shared by every fetch: that is what makes it a limit. A semaphore created
    # inside `one` would give each fetch its own permit and limit nothing.
    semaphore = asyncio.Semaphore(limit)

    async def one(url: str) -> str:
        # Waiting here costs nothing: the task sleeps until a permit is free. Leaving the block
        # returns the permit and wakes the longest waiter at once, so a slot never stays idle
        # while pages are waiting, unlike batches, which wait for their slowest page.
        async with semaphore:
            return await fetch(url)

    # All twenty tasks start together and queue on the semaphore in input order; gather returns
    # the pages in the order of urls, whatever order they finish in.
    return list(await asyncio.gather(*(one(url) for url in urls)))
