"""Correct in another style: pool.submit plus asyncio.wrap_future, collected with a TaskGroup."""

import asyncio
from concurrent.futures import ProcessPoolExecutor


async def crunch_all(crunch, seeds, rounds):
    with ProcessPoolExecutor(max_workers=4) as pool:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(_wrap(pool.submit(crunch, seed, rounds))) for seed in seeds]
    return [task.result() for task in tasks]


async def _wrap(future):
    return await asyncio.wrap_future(future)
