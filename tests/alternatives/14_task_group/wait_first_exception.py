"""Alternative: plain tasks and asyncio.wait(FIRST_EXCEPTION); on a failure, cancel and await the
rest by hand, then re-raise the job's own exception (bare, not in a group)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


async def run_all(jobs: list[Callable[[], Awaitable[Any]]]) -> list[Any]:
    tasks = [asyncio.create_task(job()) for job in jobs]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    failed = next((task for task in done if task.exception() is not None), None)
    if failed is None:
        return [task.result() for task in tasks]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)  # their finally blocks run now
    raise failed.exception()  # type: ignore[misc]
