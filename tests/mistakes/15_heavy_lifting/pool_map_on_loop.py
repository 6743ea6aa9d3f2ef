"""Uses a process pool, but waits for pool.map on the event loop's thread, which blocks it.

expect: blocking-call
"""

from concurrent.futures import ProcessPoolExecutor


async def crunch_all(crunch, seeds, rounds):
    with ProcessPoolExecutor() as pool:
        return list(pool.map(crunch, seeds, [rounds] * len(seeds)))
