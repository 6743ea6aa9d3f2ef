"""Calls asyncio.sleep without await: the coroutine is built, dropped, and never waits.

expect: not-awaited
"""

import asyncio


async def brew(drink, seconds):
    asyncio.sleep(seconds)
    return f"{drink} is ready"
