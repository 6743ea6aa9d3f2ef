"""Part 1 done right, but part 2 still calls the blocking lookup on the event loop.

expect: blocking-call
"""

import asyncio


async def wait_until_ready(is_ready, interval=0.1):
    checks = 1
    while not is_ready():
        await asyncio.sleep(interval)
        checks += 1
    return checks


async def load_profile(user_id, lookup):
    return lookup(user_id)
