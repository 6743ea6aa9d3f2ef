"""Challenge 14: a task group.

Each job is an async function that takes no arguments: `await job()` runs it and returns its
result, or raises if the job fails. This version runs the jobs together with gather, which works
while every job succeeds; but when one fails, the others go on running behind your back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

Job = Callable[[], Awaitable[Any]]


async def run_all(jobs: list[Job]) -> list[Any]:
    """Run every job at once and return their results in order; if one fails, cancel the others
    and let the error reach the caller."""
    # TODO: when a job raises, gather passes the error on at once but does not stop the other
    # jobs. Run them in an asyncio.TaskGroup instead, so a failure cancels the rest.
    return list(await asyncio.gather(*(job() for job in jobs)))
