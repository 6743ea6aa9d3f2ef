"""Makes a task for each URL but awaits it straight away, so each fetch ends before the next begins.

expect: sequential
"""

import asyncio


async def fetch_all(fetch, urls):
    bodies = []
    for url in urls:
        task = asyncio.create_task(fetch(url))
        bodies.append(await task)
    return bodies
