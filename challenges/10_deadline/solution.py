"""Challenge 10: a deadline with a fallback.

`get_quote` is an async function: `await get_quote(symbol)` returns the latest price of `symbol`.
Usually it answers in well under a second, but sometimes it takes several. This version waits for
as long as the service takes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


async def quote_or_fallback(get_quote: Callable[[str], Awaitable[Any]], symbol: str, deadline: float,
                            fallback: Any) -> Any:
    """The quote for symbol if it arrives within `deadline` seconds, otherwise `fallback`."""
    # TODO: give up once `deadline` seconds have passed: cancel the call and return `fallback`.
    return await get_quote(symbol)
