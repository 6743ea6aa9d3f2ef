"""A fake blocking function (an old client library) and the check that it never ran on the loop.

`lookup(arg)` is a plain function that really blocks the thread calling it for its latency, like a
synchronous database or HTTP client. Learners must hand it to a worker thread
(`await asyncio.to_thread(lookup, arg)` or `loop.run_in_executor(None, lookup, arg)`). Each call
records whether its thread was running an event loop and, if so, the learner's line that made the
call, so the check can name the line that froze the loop. It sleeps with the grader's own
time.sleep, so the tripwire (which watches the learner's time.sleep calls) stays out of it.
"""

from __future__ import annotations

import asyncio
import linecache
import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.testkit import clock, timeline
from grader.testkit.feedback import Mistake
from grader.testkit.services import Call, FakeService

if TYPE_CHECKING:
    from grader.testkit.trial import Trial


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


def ran_off_loop(trial: Trial, service: BlockingService) -> None:
    """Every call of the blocking function ran in a worker thread, never on the event loop."""
    if not service.loop_calls:
        return
    call = service.loop_calls[0]
    count, called = len(service.loop_calls), service.called
    share = f" (all {called} calls)" if count == called else f" ({count} of {called} calls)"
    share = "" if called == 1 else share
    seconds = service.latency(call.arg)
    raise Mistake("blocking-call", f"{service.name}() is a blocking function, and your code called it "
                  f"on the event loop{share}, at {_where(call)}. Each such call froze the loop for "
                  f"{seconds:.2f} s (the longest freeze was {trial.longest_stall:.2f} s), and nothing "
                  "else could run meanwhile.", "every call of a blocking function made in a worker "
                  "thread, so the loop stays free",
                  f"{service.name} has no async version, so it must not run on the loop's thread: "
                  "let a worker thread make the call while the loop carries on (pass the function "
                  f"and `{_arg_name(call)}` separately, so the call happens there).",
                  details=timeline.render(trial.services, until=trial.elapsed))


def _where(call: Call) -> str:
    if call.site is None:
        return "an unknown line"
    filename, line_no = call.site
    code = linecache.getline(filename, line_no).strip()
    return f"{Path(filename).name}, line {line_no}" + (f": `{code}`" if code else "")


def _arg_name(call: Call) -> str:
    """The learner's own name for the argument where the call line shows it, else `arg`."""
    if call.site is None:
        return "arg"
    found = re.search(r"\w\(\s*([A-Za-z_]\w*)\s*\)", linecache.getline(*call.site))
    return found[1] if found else "arg"
