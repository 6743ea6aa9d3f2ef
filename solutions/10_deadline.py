"""Reference solution for challenge 10 (asyncio.wait_for, or a task that is cancelled and awaited
after asyncio.wait times out, pass too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


async def quote_or_fallback(get_quote: Callable[[str], Awaitable[Any]], symbol: str, deadline: float,
                            fallback: Any) -> Any:
    """The quote for symbol if it arrives within `deadline` seconds, otherwise `fallback`."""
    # asyncio.timeout cancels this task's current await when the deadline passes, so the quote
    # call stops (it sees CancelledError and unwinds) before the block exits. Only then does the
    # block turn the cancellation into TimeoutError, which is why the except sits outside the
    # `async with`: inside it there is no TimeoutError to catch. Nothing is left running afterwards.
    try:
        async with asyncio.timeout(deadline):
            return await get_quote(symbol)
    except TimeoutError:
        return fallback
