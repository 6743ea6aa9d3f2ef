"""Overlaps the fetches but collects bodies in the order they finish.

expect: wrong-order
"""

import asyncio


async def fetch_all(fetch, urls):
    return [await body for body in asyncio.as_completed([fetch(url) for url in urls])]
