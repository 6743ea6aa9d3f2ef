"""Alternative for 10: asyncio.wait_for, which cancels the call and waits for it before raising."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


async def quote_or_fallback(get_quote: Callable[[str], Awaitable[Any]], symbol: str, deadline: float,
                            fallback: Any) -> Any:
    try:
        return await asyncio.wait_for(get_quote(symbol), timeout=deadline)
    except TimeoutError:
        return fallback
