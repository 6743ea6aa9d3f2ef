"""CPU-heavy work for the "when async does not fit" challenges.

`crunch(seed, rounds)` hashes a seed over and over: pure Python holding the GIL, like real number
crunching. It reports which process ran it and when (on the system-wide monotonic clock), so tests
can prove where and how concurrently the work ran, whatever the number of cores. It lives in an
importable module so process pools can pickle it under any start method (fork or spawn).

Imports the testkit's clock and grader.witness.values.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import sys
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
    """Hash seed `rounds` times; CPU-bound, and it says where and when it ran.

    While it computes, its thread is named `crunch-<seed>` (the kernel's comm): the witness, reading
    the process tree's CPU from /proc, can then tell a job's work from any other computing."""
    started = time.monotonic()
    before = _name(JOB_PREFIX + seed)
    try:
        result = digest(seed, rounds)
    finally:
        _name(before)
    return Work(seed=seed, digest=result, pid=os.getpid(), thread=threading.get_ident(),
                started=started, ended=time.monotonic())


JOB_PREFIX = "crunch-"
_PR_SET_NAME, _PR_GET_NAME = 15, 16


def _name(new: str) -> str:
    """Set this thread's kernel name (15 bytes at most); the old one back. A no-op off Linux."""
    if not sys.platform.startswith("linux"):
        return new
    libc = ctypes.CDLL(None, use_errno=True)
    old = ctypes.create_string_buffer(16)
    libc.prctl(_PR_GET_NAME, old, 0, 0, 0)
    libc.prctl(_PR_SET_NAME, new.encode()[:15], 0, 0, 0)
    return old.value.decode(errors="replace")


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
