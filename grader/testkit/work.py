"""CPU-heavy work for the "when async does not fit" challenges.

`crunch(seed, rounds)` hashes a seed over and over: pure Python holding the GIL, like real number
crunching. It reports which process ran it and when (on the system-wide monotonic clock), so tests
can prove where and how concurrently the work ran, whatever the number of cores. It lives in an
importable module so process pools can pickle it under any start method (fork or spawn).

Imports the testkit's clock and grader.witness.values.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass

from grader.testkit import clock
from grader.witness.values import known_dataclass

CALIBRATION_ROUNDS = 20_000


@known_dataclass
@dataclass(frozen=True)
class Work:
    seed: str
    digest: str
    pid: int
    thread: int
    started: float
    ended: float


def digest(seed: str, rounds: int) -> str:
    value = seed.encode()
    for _ in range(rounds):
        value = hashlib.sha256(value).digest()
    return value.hex()


def crunch(seed: str, rounds: int) -> Work:
    """Hash seed `rounds` times; CPU-bound, and it says where and when it ran."""
    started = time.monotonic()
    result = digest(seed, rounds)
    return Work(seed=seed, digest=result, pid=os.getpid(), thread=threading.get_ident(),
                started=started, ended=time.monotonic())


def rounds_for(cpu_seconds: float) -> int:
    """How many rounds take about cpu_seconds of CPU on this machine (CPU time, so load-proof)."""
    begun = clock.cpu_now()
    digest("calibrate", CALIBRATION_ROUNDS)
    per_round = max((clock.cpu_now() - begun) / CALIBRATION_ROUNDS, 1e-9)
    return max(1000, round(cpu_seconds / per_round))


def peak_overlap(jobs: list[Work]) -> int:
    """The most jobs that were running at the same moment."""
    edges = sorted([(j.started, 1) for j in jobs] + [(j.ended, -1) for j in jobs],
                   key=lambda e: (e[0], e[1]))
    running = peak = 0
    for _, step in edges:
        running += step
        peak = max(peak, running)
    return peak
