"""Alternative for 09: asyncio.wait for all tasks, then read each task's exception or result."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str | BaseException]:
    tasks = [asyncio.ensure_future(fetch(url)) for url in urls]
    if tasks:
        await asyncio.wait(tasks)  # ALL_COMPLETED: a failure does not end the wait
    # task.exception() is the object the fetch raised (None if it returned), kept by the task.
    return [task.exception() or task.result() for task in tasks]
