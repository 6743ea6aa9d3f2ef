"""Awaits each job before submitting the next (the honest sequential mistake), but beside the
first job spins a decoy in a second worker process for a while: two processes compute at once, so
the kernel's "side by side" figure is met although no two jobs ever overlapped.

honest: tests/mistakes/15_heavy_lifting/await_each.py
attack: process-games
won once: any two processes computing count as side by side (10/10 vs 7/10)
now lost: only CPU under a job's kernel name (crunch names its thread) counts as jobs side by side
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ProcessPoolExecutor


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


async def crunch_all(crunch, seeds, rounds):
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(2) as pool:
        results, decoy = [], None
        for seed in seeds:
            job = loop.run_in_executor(pool, crunch, seed, rounds)
            if decoy is None:
                decoy = loop.run_in_executor(pool, _spin, 0.6)
            results.append(await job)
        await decoy
        return results
