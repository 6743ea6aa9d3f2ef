"""Overlaps the fetches but lists the bodies in the order they arrive (shortest wait first).

expect: wrong-order
"""

import asyncio


async def fetch_all(fetch, urls):
    return [await next_body for next_body in asyncio.as_completed([fetch(url) for url in urls])]
