"""Checks is_ready() only once per interval, but spins on the loop's clock in between, yielding with
sleep(0): the loop stays responsive and the count of checks looks right, yet a CPU core is busy
the whole time.

expect: busy-wait
"""

import asyncio


async def wait_until_ready(is_ready, interval):
    loop = asyncio.get_running_loop()
    checks = 0
    while True:
        checks += 1
        if is_ready():
            return checks
        due = loop.time() + interval
        while loop.time() < due:
            await asyncio.sleep(0)


async def load_profile(user_id, lookup):
    return await asyncio.to_thread(lookup, user_id)
