"""Creates the semaphore inside each task, so every fetch has its own and nothing is limited.

expect: over-limit
"""

import asyncio


async def scrape(fetch, urls, limit=5):
    async def one(url):
        async with asyncio.Semaphore(limit):
            return await fetch(url)

    return list(await asyncio.gather(*(one(url) for url in urls)))
