"""A plain function, not a coroutine function: nothing can await it.

expect: not-async
"""

import time


def brew(drink, seconds):
    time.sleep(seconds)
    return f"{drink} is ready"
