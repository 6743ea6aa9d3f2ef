"""Each task appends its body to a shared list when it finishes: concurrent, but in arrival order.

expect: wrong-order
"""

import asyncio


async def fetch_all(fetch, urls):
    bodies = []

    async def fetch_one(url):
        bodies.append(await fetch(url))

    await asyncio.gather(*(fetch_one(url) for url in urls))
    return bodies
