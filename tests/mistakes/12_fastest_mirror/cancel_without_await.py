"""Cancels the losers but returns without awaiting them: their cancellation is still under way.

expect: cancel-not-awaited
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fastest(mirrors: list[Callable[[str], Awaitable[str]]], path: str) -> str:
    # as_completed would wrap bare coroutines in tasks we could not reach to cancel: make our own.
    tasks = [asyncio.create_task(mirror(path)) for mirror in mirrors]
    errors: list[Exception] = []
    try:
        for next_answer in asyncio.as_completed(tasks):
            try:
                return await next_answer
            except Exception as exc:
                errors.append(exc)
        raise ExceptionGroup("every mirror failed", errors)
    finally:
        # cancel() only asks; the tasks are still winding down when fastest returns.
        for task in tasks:
            task.cancel()
