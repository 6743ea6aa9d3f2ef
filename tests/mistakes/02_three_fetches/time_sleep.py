"""Simulates the wait with time.sleep, which freezes the event loop.

expect: blocking-call
"""

import asyncio
import time


async def fetch_all(fetch, urls):
    time.sleep(1)
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
