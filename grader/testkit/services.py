"""Fake slow services (an API, a database, a disk) that record every call.

`service(arg)` is a plain function that records the call and returns a coroutine; the coroutine's
body records that it was entered. So a forgotten `await` shows as called 3, entered 0. Results carry a
per-run random token, so an answer written into the solution cannot match.

Imports the testkit's clock only.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import threading
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

from grader.testkit import clock

Latency = float | Mapping[Any, float] | Callable[[Any], float]
Failure = Mapping[Any, BaseException] | Callable[[Any], BaseException | None] | None


@dataclass
class Call:
    """One call of a fake service; times are seconds since the service was created."""

    arg: Any
    called_at: float
    started_at: float | None = None
    ended_at: float | None = None
    outcome: str = "not started"  # not started | running | ok | error | cancelled
    error: BaseException | None = None  # the very exception raised, when outcome is error
    site: tuple[str, int] | None = None  # (file, line) of the code that made the call
    thread: int | None = None  # the thread whose event loop ran the body (threading.get_ident)
    cancelled_at: float | None = None  # when the caller asked for the call to be cancelled
    body: Any = None  # what the witness answered (each call its own: a repeated one is told apart)

    @property
    def entered(self) -> bool:
        return self.started_at is not None

    def settled_by(self, moment: float) -> bool:
        """The call had ended (answered, failed, or its cancellation finished) by `moment`."""
        return self.ended_at is not None and self.ended_at <= moment

    def cancel_unawaited(self, moment: float) -> bool:
        """Cancelled before `moment`, but the cancellation was still under way then: the caller
        asked for it and moved on without awaiting the cancelled task."""
        return (self.cancelled_at is not None and self.cancelled_at <= moment
                and not self.settled_by(moment))


class FakeService:
    """An async callable standing in for a slow network or disk operation."""

    def __init__(self, name: str = "fetch", latency: Latency = 1.0, *, fails: Failure = None,
                 scale: float | None = None, origin: float | None = None) -> None:
        self.name = name
        self.token = secrets.token_hex(4)
        self.calls: list[Call] = []
        self.in_flight = 0
        self.peak = 0
        self._latency = latency
        self._fails = fails
        self._scale = clock.time_scale() if scale is None else scale
        self._origin = clock.now() if origin is None else origin

    def __call__(self, arg: Any) -> Coroutine[Any, Any, Any]:
        caller = sys._getframe(1)  # so "never awaited" can name the learner's line
        call = Call(arg=arg, called_at=self._elapsed(), site=(caller.f_code.co_filename, caller.f_lineno))
        self.calls.append(call)
        return self._serve(call)

    def __repr__(self) -> str:
        return f"<fake service {self.name}>"

    def expected(self, arg: Any) -> str:
        """The body the first successful call for arg returns in this run."""
        return f"{self.name}({arg!r}) #{self.token}"

    def body_for(self, call: Call) -> str:
        """The body for this call: expected(arg) for the first call of its arg, then numbered, so a
        result can only hold the answers of the calls that produced it."""
        earlier = sum(1 for c in self.calls if c is not call and c.arg == call.arg and c.body is not None)
        return self.expected(call.arg) + (f" (call {earlier + 1})" if earlier else "")

    def latency(self, arg: Any) -> float:
        """Seconds (already scaled) that a call for arg waits."""
        raw = self._latency
        if callable(raw):
            seconds = raw(arg)
        elif isinstance(raw, Mapping):
            seconds = raw[arg]
        else:
            seconds = raw
        return float(seconds) * self._scale

    def failure(self, arg: Any) -> BaseException | None:
        if self._fails is None:
            return None
        if callable(self._fails):
            return self._fails(arg)
        return self._fails.get(arg)

    @property
    def called(self) -> int:
        return len(self.calls)

    @property
    def entered(self) -> int:
        return sum(call.entered for call in self.calls)

    @property
    def finished(self) -> int:
        return sum(call.outcome in ("ok", "error") for call in self.calls)

    @property
    def cancelled(self) -> int:
        return sum(call.outcome == "cancelled" for call in self.calls)

    @property
    def running(self) -> list[Call]:
        return [call for call in self.calls if call.outcome == "running"]

    def _elapsed(self) -> float:
        return clock.now() - self._origin

    async def _serve(self, call: Call) -> str:
        call.started_at = self._elapsed()
        call.thread = threading.get_ident()
        call.outcome = "running"
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await clock.wait_for_delay(self.latency(call.arg))
            error = self.failure(call.arg)
            if error is not None:
                call.outcome = "error"
                call.error = error
                raise error
            call.outcome = "ok"
            return self.expected(call.arg)
        except asyncio.CancelledError:
            call.outcome = "cancelled"
            raise
        finally:
            self.in_flight -= 1
            call.ended_at = self._elapsed()


class Probe:
    """A plain function the learner's code polls (`is_ready()`): each call is answered at once, from
    the witness's clock, by `answer(seconds since the start)`. It keeps counts, not a list: a busy
    loop may call it a great many times."""

    def __init__(self, name: str, answer: Callable[[float], Any], origin: float | None = None) -> None:
        self.name = name
        self.answer = answer
        self.calls = 0
        self.first_true: float | None = None  # when it first answered something true
        self.after_true = 0                   # calls made after that one
        self._origin = clock.now() if origin is None else origin

    def respond(self, at: float) -> Any:
        self.calls += 1
        value = self.answer(at)
        if value:
            if self.first_true is None:
                self.first_true = at
            else:
                self.after_true += 1
        return value

    def __repr__(self) -> str:
        return f"<probe {self.name}>"


@dataclass(frozen=True)
class Event:
    at: float  # seconds since the attempt started
    value: Any


class Recorder:
    """A plain callback (say, report, on_result) that timestamps every value it is given."""

    def __init__(self, name: str = "report", origin: float | None = None) -> None:
        self.name = name
        self.events: list[Event] = []
        self._origin = clock.now() if origin is None else origin

    def __call__(self, value: Any) -> None:
        self.events.append(Event(clock.now() - self._origin, value))

    def __repr__(self) -> str:
        return f"<recorder {self.name}>"

    @property
    def values(self) -> list[Any]:
        return [event.value for event in self.events]
