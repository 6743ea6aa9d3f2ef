"""Writes to_thread(lookup(user_id)): lookup runs right there on the loop, and to_thread gets a string.

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
    return await asyncio.to_thread(lookup(user_id))
