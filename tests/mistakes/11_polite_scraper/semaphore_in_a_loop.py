"""Uses a semaphore, but awaits each fetch inside a plain loop: only ever one in flight.

expect: sequential
"""

import asyncio


async def scrape(fetch, urls, limit=5):
    semaphore = asyncio.Semaphore(limit)
    pages = []
    for url in urls:
        async with semaphore:
            pages.append(await fetch(url))
    return pages
