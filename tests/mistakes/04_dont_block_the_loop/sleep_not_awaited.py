"""Calls asyncio.sleep without await: each "wait" is a coroutine made and dropped, so the loop spins.

expect: not-awaited
"""

import asyncio


async def wait_until_ready(is_ready, interval=0.1):
    checks = 1
    while not is_ready():
        asyncio.sleep(interval)
        checks += 1
    return checks


async def load_profile(user_id, lookup):
    return await asyncio.to_thread(lookup, user_id)
