"""Waits with time.sleep: the right answer after the right time, but the whole loop stops meanwhile.

expect: blocking-call
"""

import time


async def brew(drink, seconds):
    time.sleep(seconds)
    return f"{drink} is ready"
