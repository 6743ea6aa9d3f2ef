"""Alternative for 08: asyncio.wait, then the bodies put back in input order by each task's index."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str]:
    if not urls:  # asyncio.wait refuses an empty set
        return []
    index = {asyncio.ensure_future(fetch(url)): i for i, url in enumerate(urls)}
    done, _ = await asyncio.wait(index)
    bodies: list[str] = [""] * len(urls)
    for task in done:
        bodies[index[task]] = task.result()
    return bodies
