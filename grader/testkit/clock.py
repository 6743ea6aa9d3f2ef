"""The grader's own clock and time scale, taken before any solution is imported.

A solution may reassign `time.perf_counter` or `asyncio.sleep`; the testkit keeps using the
originals captured here, and `integrity` notices the change.

Imports nothing from the kit.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

# Captured at import time: the pytest plugin imports the testkit before it imports any solution.
_perf_counter = time.perf_counter
_thread_time = time.thread_time
_process_time = time.process_time
_real_sleep = time.sleep
_asyncio_sleep = asyncio.sleep
_call_later = asyncio.BaseEventLoop.call_later

SCALE_VARIABLE = "GRADER_TIME_SCALE"
# Timer slack differs by platform: Linux is tight, macOS and Windows runners overshoot far more.
PLATFORM_SLACK = 1.0 if sys.platform.startswith("linux") else 3.0


def now() -> float:
    """Seconds on the grader's monotonic clock."""
    return _perf_counter()


def cpu_now() -> float:
    """CPU seconds used by this thread: tells a busy loop from a sleeping one."""
    return _thread_time()


def process_cpu_now() -> float:
    """CPU seconds used by every thread of this process (not its child processes)."""
    return _process_time()


def real_sleep(seconds: float) -> None:
    _real_sleep(seconds)


async def pause(seconds: float) -> None:
    """asyncio.sleep as it was before any solution could replace it."""
    await _asyncio_sleep(seconds)


async def wait_for_delay(seconds: float) -> None:
    """A timer on the loop itself, so patching asyncio.sleep cannot shorten a fake service's latency."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    handle = _call_later(loop, seconds, _settle, done)
    try:
        await done
    finally:
        handle.cancel()


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def time_scale() -> float:
    """GRADER_TIME_SCALE shrinks every latency and budget together (kit CI); learners see 1.0."""
    raw = os.environ.get(SCALE_VARIABLE, "1")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.05 <= value <= 10:
        raise ValueError(f"{SCALE_VARIABLE}={raw!r} must be a number from 0.05 to 10 (1 = real seconds)")
    return value


def scaled(seconds: float) -> float:
    """Seconds as a learner reads them in a task, converted to the seconds this run really waits."""
    return seconds * time_scale()
