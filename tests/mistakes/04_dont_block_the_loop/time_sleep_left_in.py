"""Part 2 done right, but part 1 still waits with time.sleep between checks.

expect: blocking-call
"""

import asyncio
import time


async def wait_until_ready(is_ready, interval=0.1):
    checks = 1
    while not is_ready():
        time.sleep(interval)
        checks += 1
    return checks


async def load_profile(user_id, lookup):
    return await asyncio.to_thread(lookup, user_id)
