"""Alternative: tasks with done-callbacks; the loop calls report as each task finishes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_and_report(fetch: Callable[[str], Awaitable[str]], urls: list[str],
                           report: Callable[[str], None]) -> None:
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    for task in tasks:
        task.add_done_callback(lambda done: report(done.result()))
    await asyncio.wait(tasks)  # the callbacks report along the way; this only waits for the last
