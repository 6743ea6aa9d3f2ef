"""The decoy of decoy_spinner, named like a job: beside the first job it spins in a second worker
under the kernel name crunch-<second seed>, so the witness's per-job CPU would show two jobs
computing at once; the real jobs still run one after another.

honest: tests/mistakes/15_heavy_lifting/await_each.py
attack: process-games
"""

from __future__ import annotations

import asyncio
import ctypes
import time
from concurrent.futures import ProcessPoolExecutor


def _spin(name: str, seconds: float) -> None:
    ctypes.CDLL(None).prctl(15, name.encode()[:15], 0, 0, 0)
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
                decoy = loop.run_in_executor(pool, _spin, f"crunch-{seeds[1]}", 0.6)
            results.append(await job)
        await decoy
        return results
