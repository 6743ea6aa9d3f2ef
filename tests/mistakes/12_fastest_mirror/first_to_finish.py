"""Returns whatever finishes first, even when that is a failure.

expect: failure-returned
"""

import asyncio


async def fastest(mirrors, path):
    tasks = [asyncio.create_task(mirror(path)) for mirror in mirrors]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return done.pop().result()  # re-raises the fast mirror's ConnectionError
