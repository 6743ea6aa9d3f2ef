"""Alternative for 10: a task, asyncio.wait with a timeout, then cancel the task and await it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any


async def quote_or_fallback(get_quote: Callable[[str], Coroutine[Any, Any, Any]], symbol: str,
                            deadline: float, fallback: Any) -> Any:
    task = asyncio.create_task(get_quote(symbol))
    done, _ = await asyncio.wait({task}, timeout=deadline)
    if task in done:
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task  # returns once the call has really stopped
    return fallback
