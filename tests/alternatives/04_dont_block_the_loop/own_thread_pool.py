"""Part 2 with a thread pool of its own (two workers), part 1 as a while-True loop."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lookup")


async def wait_until_ready(is_ready: Callable[[], bool], interval: float = 0.1) -> int:
    checks = 0
    while True:
        checks += 1
        if is_ready():
            return checks
        await asyncio.sleep(interval)


async def load_profile(user_id: str, lookup: Callable[[str], str]) -> str:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL, functools.partial(lookup, user_id))
