"""Awaits asyncio.sleep(0) between checks: the loop gets its turns, but the CPU spins the whole time.

expect: busy-wait
"""

import asyncio


async def wait_until_ready(is_ready, interval=0.1):
    checks = 1
    while not is_ready():
        await asyncio.sleep(0)
        checks += 1
    return checks


async def load_profile(user_id, lookup):
    return await asyncio.to_thread(lookup, user_id)
