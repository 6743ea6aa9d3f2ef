"""Concurrent, and catches each failure, but puts None where the error should be.

expect: wrong-result
"""

import asyncio


async def fetch_all(fetch, urls):
    async def one(url):
        try:
            return await fetch(url)
        except Exception:
            return None

    return await asyncio.gather(*(one(url) for url in urls))
