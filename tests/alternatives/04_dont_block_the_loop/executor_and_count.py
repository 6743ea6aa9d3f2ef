"""Part 1 counts with itertools.count; part 2 uses the loop's default thread pool directly."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable


async def wait_until_ready(is_ready: Callable[[], bool], interval: float = 0.1) -> int:
    for checks in itertools.count(1):
        if is_ready():
            return checks
        await asyncio.sleep(interval)
    raise AssertionError("unreachable")


async def load_profile(user_id: str, lookup: Callable[[str], str]) -> str:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, lookup, user_id)
