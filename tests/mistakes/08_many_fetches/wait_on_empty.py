"""Uses asyncio.wait, which refuses an empty set: the ten URLs work, an empty list raises ValueError.

expect: raised
"""

import asyncio


async def fetch_all(fetch, urls):
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    await asyncio.wait(tasks)
    return [task.result() for task in tasks]
