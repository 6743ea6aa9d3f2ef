"""Five workers, but each gets a fixed share of the URLs up front (every fifth one): a worker
whose share is done sits idle while others still have pages waiting.

expect: batched
"""

import asyncio


async def scrape(fetch, urls, limit=5):
    pages = [None] * len(urls)

    async def worker(first):
        for i in range(first, len(urls), limit):
            pages[i] = await fetch(urls[i])

    await asyncio.gather(*(worker(w) for w in range(limit)))
    return pages
