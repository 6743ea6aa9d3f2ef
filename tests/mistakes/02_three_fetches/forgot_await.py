"""Builds the coroutines but never awaits them: returns coroutine objects, not bodies.

expect: not-awaited
"""


async def fetch_all(fetch, urls):
    return [fetch(url) for url in urls]
