"""A TaskGroup: the first failure cancels the other fetches and raises an ExceptionGroup.

expect: lost-results
"""

import asyncio


async def fetch_all(fetch, urls):
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch(url)) for url in urls]
    return [task.result() for task in tasks]
