"""A fake blocking function (an old client library): the record the witness keeps of its calls.

`lookup(arg)` is a plain function that blocks the thread calling it for its latency, like a
synchronous database or HTTP client; learners must hand it to a worker thread. Under the witness
the learner calls grader/witness/remote.py's blocking stand-in and the witness fills this record,
including the calls made on the event loop's thread (`loop_calls`; checks.ran_off_loop explains
them). Called directly, in one process (the quiz's snippets), it blocks for real, with the
grader's own time.sleep, so the tripwire (which watches the learner's time.sleep) stays out of it.
Imports only services, clock and the standard library.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import Any

from grader.testkit import clock
from grader.testkit.services import Call, FakeService


class BlockingService(FakeService):
    """A FakeService whose calls block their thread and return the body directly (no coroutine)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loop_calls: list[Call] = []  # the calls made on a thread that was running an event loop
        self._lock = threading.Lock()      # worker threads call concurrently

    def __call__(self, arg: Any) -> Any:  # type: ignore[override]
        caller = sys._getframe(1)
        on_loop = asyncio._get_running_loop() is not None
        with self._lock:
            call = Call(arg=arg, called_at=self._elapsed(), outcome="running",
                        site=(caller.f_code.co_filename, caller.f_lineno), thread=threading.get_ident())
            call.started_at = call.called_at
            self.calls.append(call)
            if on_loop:
                self.loop_calls.append(call)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            clock.real_sleep(self.latency(arg))
            error = self.failure(arg)
            if error is not None:
                call.outcome, call.error = "error", error
                raise error
            call.outcome = "ok"
            return self.expected(arg)
        finally:
            with self._lock:
                self.in_flight -= 1
                call.ended_at = self._elapsed()

    def __repr__(self) -> str:
        return f"<fake blocking function {self.name}>"
