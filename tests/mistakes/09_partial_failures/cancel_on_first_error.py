"""Stops at the first failure and cancels the fetches still running, keeping what it has.

expect: lost-results
"""

import asyncio


async def fetch_all(fetch, urls):
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    _, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    for task in pending:
        task.cancel()
    await asyncio.wait(tasks)
    return [t.exception() or t.result() if not t.cancelled() else None for t in tasks]
