"""Reference solution for challenge 14 (one correct way among several: tasks with
asyncio.wait(..., FIRST_EXCEPTION) that cancel and await the rest work too, with more code)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

Job = Callable[[], Awaitable[Any]]


async def run_all(jobs: list[Job]) -> list[Any]:
    """Run every job at once and return their results in order; if one fails, cancel the others
    and let the error reach the caller."""
    # Every task created in the group runs concurrently. The `async with` block does not end
    # until all of them are done. If one raises, the group cancels the others, *waits* for them
    # to finish cancelling (so their finally blocks have run), and then raises an ExceptionGroup
    # holding the failure; callers catch it with `except* ValueError:`. We neither catch nor
    # wrap it: the caller is the one who must learn that the job failed.
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(job()) for job in jobs]
    # Only reached when every job succeeded: each task has its result, in the order of `jobs`.
    return [task.result() for task in tasks]
