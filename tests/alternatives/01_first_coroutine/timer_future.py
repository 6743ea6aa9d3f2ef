"""A lower-level way: a Future that a timer on the loop completes after `seconds`."""

from __future__ import annotations

import asyncio


async def brew(drink: str, seconds: float) -> str:
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[str] = loop.create_future()
    timer = loop.call_later(seconds, ready.set_result, f"{drink} is ready")
    try:
        return await ready
    finally:
        timer.cancel()
