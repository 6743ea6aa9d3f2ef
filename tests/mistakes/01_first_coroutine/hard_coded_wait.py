"""Always waits one second, whatever `seconds` says.

expect: too-slow
"""

import asyncio


async def brew(drink, seconds):
    await asyncio.sleep(1)
    return f"{drink} is ready"
