"""Skips the wait altogether: the right message, at once.

expect: too-fast
"""


async def brew(drink, seconds):
    return f"{drink} is ready"
