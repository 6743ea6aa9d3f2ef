"""Gathers the pages five at a time: within the limit, but each batch waits for its slowest page.

expect: batched
"""

import asyncio


async def scrape(fetch, urls, limit=5):
    pages = []
    for start in range(0, len(urls), limit):
        batch = urls[start:start + limit]
        pages += await asyncio.gather(*(fetch(url) for url in batch))
    return pages
