"""Awaits each fetch inside the loop: correct results, no overlap.

expect: sequential
"""

import asyncio


async def fetch_all(fetch, urls):
    results = []
    for url in urls:
        task = asyncio.create_task(fetch(url))
        results.append(await task)  # awaited before the next task is even created
    return results
