"""Alternative for 11: a shared Semaphore guarding each fetch, the tasks run in a TaskGroup."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def scrape(fetch: Callable[[str], Awaitable[str]], urls: list[str], limit: int = 5) -> list[str]:
    semaphore = asyncio.Semaphore(limit)

    async def one(url: str) -> str:
        async with semaphore:
            return await fetch(url)

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(one(url)) for url in urls]
    return [task.result() for task in tasks]
