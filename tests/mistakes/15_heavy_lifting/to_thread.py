"""Moves the work to threads: the loop stays free, but the GIL lets only one thread compute.

expect: threads-for-cpu
"""

import asyncio


async def crunch_all(crunch, seeds, rounds):
    return list(await asyncio.gather(*(asyncio.to_thread(crunch, seed, rounds) for seed in seeds)))
