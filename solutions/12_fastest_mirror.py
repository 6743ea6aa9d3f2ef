"""Reference solution for challenge 12 (one correct way among several: as_completed or a TaskGroup
whose winning task raises to stop the others work too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Mirror = Callable[[str], Awaitable[str]]


async def fastest(mirrors: list[Mirror], path: str) -> str:
    """Return the first successful answer; cancel the other mirrors; if all fail, raise."""
    # Tasks, not bare coroutines: asyncio.wait needs tasks, and a task can be cancelled.
    pending = {asyncio.create_task(mirror(path)) for mirror in mirrors}
    errors: list[Exception] = []
    try:
        while pending:
            # Wake up as soon as *any* mirror is done, with the others still running.
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                error = task.exception()
                if error is None:
                    return task.result()
                # A failure is not an answer: remember it and keep waiting for the others.
                errors.append(error)  # type: ignore[arg-type]
        # Every mirror failed: the group keeps each error, so the caller can see all of them.
        raise ExceptionGroup("every mirror failed", errors)
    finally:
        # On every way out (an answer, all failed, or fastest itself cancelled) stop the losers:
        # nobody will read their answers. Awaiting them lets their cancellation (and any cleanup)
        # finish before we return, so nothing is left running behind the caller's back.
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
