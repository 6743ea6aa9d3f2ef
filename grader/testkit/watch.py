"""Watching the event loop: a heartbeat that measures stalls, and a time.sleep tripwire.

The heartbeat runs as its own task and wakes every few milliseconds; a late wake-up is a stall, which
only blocking code causes. The tripwire replaces time.sleep before any solution is imported and
remembers where it was called while a loop was running in the calling thread, so feedback can name
the line. Calls from worker threads (asyncio.to_thread) are fine and are not recorded.

Imports the testkit's clock only.
"""

from __future__ import annotations

import asyncio
import contextlib
import linecache
import sys
import time
from dataclasses import dataclass

from grader.testkit import clock

HEARTBEAT_INTERVAL = 0.005
_TESTKIT_DIR = __file__.rsplit("/", 1)[0]


@dataclass(frozen=True)
class BlockingSleep:
    seconds: float
    filename: str
    line_no: int
    code: str

    def describe(self) -> str:
        name = self.filename.rsplit("/", 1)[-1]
        return f"time.sleep({self.seconds:g}) at {name}, line {self.line_no}: `{self.code}`"


class Tripwire:
    """Records time.sleep calls made on a thread that is running an event loop."""

    def __init__(self) -> None:
        self.calls: list[BlockingSleep] = []
        self.recording = False

    def sleep(self, seconds: float) -> None:
        if self.recording and asyncio._get_running_loop() is not None:
            self.calls.append(self._call_site(seconds))
        clock.real_sleep(seconds)

    def _call_site(self, seconds: float) -> BlockingSleep:
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename.startswith(_TESTKIT_DIR):
            frame = frame.f_back
        if frame is None:
            return BlockingSleep(seconds, "?", 0, "")
        filename, line_no = frame.f_code.co_filename, frame.f_lineno
        return BlockingSleep(seconds, filename, line_no, linecache.getline(filename, line_no).strip())


TRIPWIRE = Tripwire()


def _sleep(seconds: float) -> None:
    TRIPWIRE.sleep(seconds)


_sleep.__name__ = _sleep.__qualname__ = "sleep"
_sleep.__doc__ = time.sleep.__doc__


def install_tripwire() -> None:
    """Replace time.sleep; called by the pytest plugin before any solution is imported."""
    time.sleep = _sleep


class Heartbeat:
    """Measures the longest time the loop went without running this task when it should have."""

    def __init__(self, interval: float = HEARTBEAT_INTERVAL) -> None:
        self.interval = interval
        self.longest_stall = 0.0
        self._due = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._due = clock.now() + self.interval
        self._task = asyncio.get_running_loop().create_task(self._beat(), name="grader-heartbeat")

    async def _beat(self) -> None:
        while True:
            self._due = clock.now() + self.interval
            await clock.pause(self.interval)
            self.longest_stall = max(self.longest_stall, clock.now() - self._due)

    async def stop(self) -> float:
        """Stop beating; a stall still in progress counts too."""
        self.longest_stall = max(self.longest_stall, clock.now() - self._due)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        return self.longest_stall

    @property
    def task(self) -> asyncio.Task[None] | None:
        return self._task
