"""Keeps each error's message instead of the exception object.

expect: wrong-result
"""

import asyncio


async def fetch_all(fetch, urls):
    results = await asyncio.gather(*(fetch(url) for url in urls), return_exceptions=True)
    return [str(r) if isinstance(r, Exception) else r for r in results]
