"""Reference solution for challenge 15 (one correct way; ProcessPoolExecutor.map in a thread works too)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


async def crunch_all(crunch: Callable[[str, int], Any], seeds: list[str], rounds: int) -> list[Any]:
    """Return crunch(seed, rounds) for every seed, in the order of `seeds`."""
    loop = asyncio.get_running_loop()
    # A process pool, not threads: crunch is pure Python, and threads of one process take turns
    # holding the GIL, so only separate processes compute in parallel. run_in_executor hands each
    # job to a worker and gives back an awaitable, so the event loop stays free while they compute.
    with ProcessPoolExecutor() as pool:
        jobs = [loop.run_in_executor(pool, crunch, seed, rounds) for seed in seeds]
        # Submitted all at once, awaited together: gather keeps the order of `seeds`.
        return list(await asyncio.gather(*jobs))
