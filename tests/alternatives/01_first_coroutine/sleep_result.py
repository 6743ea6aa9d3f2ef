"""asyncio.sleep can hand back a value when it wakes up: the wait and the return in one await."""

from __future__ import annotations

import asyncio


async def brew(drink: str, seconds: float) -> str:
    return await asyncio.sleep(seconds, result=f"{drink} is ready")
