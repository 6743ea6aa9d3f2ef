"""Uses a process pool but awaits each job before submitting the next.

expect: sequential
"""

import asyncio
from concurrent.futures import ProcessPoolExecutor


async def crunch_all(crunch, seeds, rounds):
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor() as pool:
        return [await loop.run_in_executor(pool, crunch, seed, rounds) for seed in seeds]
