"""Alternative for 11: a pool of `limit` worker tasks taking (index, url) from an asyncio.Queue."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def scrape(fetch: Callable[[str], Awaitable[str]], urls: list[str], limit: int = 5) -> list[str]:
    queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    for job in enumerate(urls):
        queue.put_nowait(job)
    pages: list[str] = [""] * len(urls)

    async def worker() -> None:
        # A worker takes the next URL the moment its fetch is done, so no slot idles while the
        # queue still holds work. The queue is filled up front, so empty means finished.
        while not queue.empty():
            index, url = queue.get_nowait()
            pages[index] = await fetch(url)

    await asyncio.gather(*(worker() for _ in range(min(limit, len(urls)))))
    return pages
