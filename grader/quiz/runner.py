"""Running a question's snippet and keeping the evidence: what it printed and when, what main()
returned or raised, how long it took, and every call of its fake services.

In this process, not a subprocess: the snippets are the kit's own (its tests run every one against
its answer key), the FakeService and Recorder objects must live where the timeline is drawn, and no
interpreter start-up (a tenth of a second or more on a busy machine) sits between the learner and
the seconds they predicted. Each run still gets a fresh namespace and a fresh event loop, a budget
that turns an await that never ends into a clear result, its printing captured with timestamps, and
Python's "never awaited" warnings collected rather than printed.

Seconds are real: the snippet says asyncio.sleep(0.2) and the learner predicts 0.2 s, so the fake
services ignore GRADER_TIME_SCALE, which could not shrink the sleeps written in a snippet anyway.
Imports the standard library, grader.testkit's services and clock, and grader.quiz.model.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import gc
import logging
import warnings
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from types import CodeType
from typing import Any

from grader.quiz.model import NOTHING, Answer, Question, ServiceSpec
from grader.testkit import clock
from grader.testkit.services import Event, FakeService, Recorder

BUDGET = 5.0  # seconds; quiz snippets take well under one


class QuizService(FakeService):
    """A FakeService with the plain, repeatable bodies a question's answer can name."""

    def __init__(self, spec: ServiceSpec, origin: float) -> None:
        super().__init__(spec.name, spec.latency, fails=self._error, scale=1.0, origin=origin)
        self.spec = spec

    def expected(self, arg: Any) -> str:
        return self.spec.returns.replace("{arg}", str(arg))

    def __call__(self, arg: Any) -> Coroutine[Any, Any, Any]:
        coroutine = super().__call__(arg)
        # Python's "coroutine '…' was never awaited" then names the service the snippet called.
        coroutine.__name__ = coroutine.__qualname__ = self.name
        return coroutine

    def _error(self, arg: Any) -> BaseException | None:
        name = self.spec.fails.get(str(arg))
        return getattr(builtins, name)(f"{self.name}({arg!r}) failed") if name else None


@dataclass
class Observation:
    """What one run of a snippet did. Times are seconds since main() started."""

    printed: list[Event] = field(default_factory=list)
    result: Any = None
    error: BaseException | None = None
    elapsed: float = 0.0
    timed_out: bool = False
    services: list[FakeService] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # Python's warnings and asyncio's log

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(line for event in self.printed for line in str(event.value).split("\n"))

    def fact(self, question: Question) -> Answer:
        """The observed value of what the question asks, in the answer key's terms."""
        if question.ask == "output":
            return self.lines
        if question.ask == "result":
            return repr(self.result) if self.error is None else f"(nothing: it raised {self.raised})"
        if question.ask == "raises":
            return self.raised
        if question.ask == "elapsed":
            return self.elapsed
        return self.service(question.service).peak

    @property
    def raised(self) -> str:
        return NOTHING if self.error is None else type(self.error).__name__

    def service(self, name: str | None) -> FakeService:
        return next(s for s in self.services if s.name == name)


def run(question: Question, budget: float = BUDGET) -> Observation:
    """Run the snippet's main() on a fresh event loop and observe it."""
    code = compile(question.snippet, f"<quiz {question.key}>", "exec")
    seen = Observation()
    with warnings.catch_warnings(record=True) as caught, _asyncio_log() as logged:
        warnings.simplefilter("always")
        asyncio.run(_observe(question, code, seen, budget))
        if seen.error is not None:
            _let_go(seen.error)
        gc.collect()  # an unawaited coroutine warns when it is collected: make that happen in here
    notes = [str(w.message) for w in caught if "never awaited" in str(w.message)]
    seen.warnings = list(dict.fromkeys(notes + logged))
    return seen


@contextlib.contextmanager
def _asyncio_log() -> Iterator[list[str]]:
    """What asyncio logs meanwhile ("Task exception was never retrieved", say), kept as evidence
    instead of printed over the quiz."""
    logger, notes = logging.getLogger("asyncio"), []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            notes.append(record.getMessage().split("\n")[0])

    handler, propagate = Keep(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield notes
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


async def _observe(question: Question, code: CodeType, seen: Observation, budget: float) -> None:
    origin = clock.now()
    seen.services = [QuizService(spec, origin) for spec in question.services]
    recorder = Recorder("print", origin=origin)
    seen.printed = recorder.events
    namespace: dict[str, Any] = {"__name__": "quiz_snippet", "print": _printer(recorder)}
    namespace.update({s.name: s for s in seen.services})
    exec(code, namespace)  # imports and definitions only (the loader checks): the snippet is kit-authored
    deadline = asyncio.timeout(budget)
    try:
        async with deadline:
            seen.result = await namespace["main"]()
    except Exception as exc:  # what main() raised is evidence; Ctrl-C and cancellation go through
        seen.timed_out = deadline.expired()
        seen.error = None if seen.timed_out else exc
    finally:
        seen.elapsed = clock.now() - origin


def _let_go(error: BaseException) -> None:
    """Drop what an exception holds of the snippet (its frames' locals, the object an
    AttributeError was about), so a coroutine never awaited is collected, and warned about, now."""
    error.__traceback__ = error.__context__ = None
    if isinstance(error, AttributeError):
        error.obj = None


def _printer(recorder: Recorder) -> Callable[..., None]:
    """print() for the snippet: each call is noted with its time instead of written out."""
    def print_(*values: Any, sep: str | None = " ", end: str | None = "\n", file: Any = None,
               flush: bool = False) -> None:
        if file is not None:  # printing to a file (stderr, say) is not the output asked about
            builtins.print(*values, sep=sep, end=end, file=file, flush=flush)
            return
        recorder((" " if sep is None else sep).join(str(v) for v in values))
    return print_
