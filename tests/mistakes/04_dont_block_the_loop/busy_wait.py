"""Drops the wait altogether and spins: asks is_ready() as fast as it can, never giving the loop a turn.

expect: busy-wait
"""

import asyncio


async def wait_until_ready(is_ready, interval=0.1):
    checks = 1
    while not is_ready():
        checks += 1
    return checks


async def load_profile(user_id, lookup):
    return await asyncio.to_thread(lookup, user_id)
