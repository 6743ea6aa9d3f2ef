"""Run a learner's coroutine under observation and keep the evidence.

A trial runs one scenario on a fresh event loop: the learner's coroutine in its own task (so the
heartbeat can see it block), a budget that turns a hang into a verdict, the tripwire recording
time.sleep, warnings recording coroutines never awaited, and a look at what was left running.
When a band is given and the wall clock lands in its grey zone, the trial is run again (noise only
ever adds time, so the fastest attempt is kept).
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import linecache
import sys
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.testkit import clock
from grader.testkit.blocking import BlockingService
from grader.testkit.services import Failure, FakeService, Latency, Recorder
from grader.testkit.timing import Band, Verdict
from grader.testkit.watch import TRIPWIRE, BlockingSleep, Heartbeat

GRACE = 0.05  # seconds a leftover task gets to finish on its own before it counts as leaked
STALL_LIMIT = 0.1  # seconds; the heartbeat's own noise stays under 5 ms even on a loaded machine
# Waiting uses next to no CPU; computing fills most of a stall even when other processes take a
# share of the cores, so a quarter tells the two apart with room to spare on a busy machine.
BUSY_SHARE = 0.25
ORIGIN_DEPTH = 8  # frames remembered per coroutine: enough to get past asyncio and the testkit
_ASYNCIO_DIR = str(Path(asyncio.__file__).parent)
_TESTKIT_DIR = str(Path(__file__).parent)


@dataclass
class Attempt:
    """What a scenario uses to build its fake services; every service is kept for the checks."""

    services: list[FakeService] = field(default_factory=list)
    recorders: list[Recorder] = field(default_factory=list)
    origin: float = field(default_factory=clock.now)

    def service(self, name: str = "fetch", latency: Latency = 1.0, *,
                fails: Failure = None) -> FakeService:
        svc = FakeService(name, latency, fails=fails, origin=self.origin)
        self.services.append(svc)
        return svc

    def blocking_service(self, name: str = "lookup", latency: Latency = 1.0, *,
                         fails: Failure = None) -> BlockingService:
        """A plain function that blocks its caller (an old client library); see testkit.blocking."""
        svc = BlockingService(name, latency, fails=fails, origin=self.origin)
        self.services.append(svc)
        return svc

    def recorder(self, name: str = "report") -> Recorder:
        """A callback for the learner's code that timestamps each value it receives."""
        rec = Recorder(name, origin=self.origin)
        self.recorders.append(rec)
        return rec


@dataclass
class Trial:
    """The evidence of one run of the learner's code."""

    result: Any = None
    error: BaseException | None = None
    elapsed: float = 0.0
    cpu: float = 0.0            # CPU seconds of the loop's thread
    process_cpu: float = 0.0    # CPU seconds of the whole process (all threads, no child processes)
    longest_stall: float = 0.0
    timed_out: bool = False
    budget: float = 0.0
    sleeps: list[BlockingSleep] = field(default_factory=list)
    unawaited: list[str] = field(default_factory=list)
    leftover: list[str] = field(default_factory=list)
    loop_patched: list[str] = field(default_factory=list)
    services: list[FakeService] = field(default_factory=list)
    recorders: list[Recorder] = field(default_factory=list)
    attempts: int = 1

    def service(self, name: str = "fetch") -> FakeService:
        return next(svc for svc in self.services if svc.name == name)

    def recorder(self, name: str = "report") -> Recorder:
        return next(rec for rec in self.recorders if rec.name == name)

    @property
    def finished(self) -> bool:
        return self.error is None and not self.timed_out


Scenario = Callable[[Attempt], Awaitable[Any]]


def run_trial(scenario: Scenario, *, budget: float, band: Band | None = None,
              retries: int = 2) -> Trial:
    """Run scenario (budget in task seconds); re-run up to `retries` times while the evidence is
    doubtful: a wall clock in the band's grey zone, or a loop stall with no blocking call to show
    for it (the machine, not the code, may have paused the process). Noise only ever adds time, so
    the cleanest attempt is kept; a real mistake shows up in every attempt alike."""
    best = _run_once(scenario, clock.scaled(budget))
    for _ in range(retries):
        if not _doubtful(best, band):
            break
        again = _run_once(scenario, clock.scaled(budget))
        again.attempts = best.attempts + 1
        best = again if again.finished and _cleaner(again, best, band) else best
        best.attempts = again.attempts
    return best


def _doubtful(trial: Trial, band: Band | None) -> bool:
    if not trial.finished:
        return False
    if band is not None and band.verdict(trial.elapsed) is Verdict.GREY:
        return True
    return _unexplained_stall(trial)


def _unexplained_stall(trial: Trial) -> bool:
    """A stall without time.sleep and without the CPU work to fill it."""
    return (trial.longest_stall > STALL_LIMIT and not trial.sleeps
            and trial.cpu < BUSY_SHARE * trial.longest_stall)


def _cleaner(new: Trial, old: Trial, band: Band | None) -> bool:
    if _unexplained_stall(old) or _unexplained_stall(new):
        return new.longest_stall < old.longest_stall
    return new.elapsed < old.elapsed


def _run_once(scenario: Scenario, budget: float) -> Trial:
    trial = Trial(budget=budget)
    depth = sys.get_coroutine_origin_tracking_depth()
    sys.set_coroutine_origin_tracking_depth(ORIGIN_DEPTH)  # so a dropped coroutine names its line
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            with asyncio.Runner() as runner:
                runner.run(_observe(scenario, trial))
            gc.collect()
    finally:
        sys.set_coroutine_origin_tracking_depth(depth)
    trial.unawaited = [_never_awaited(w) for w in caught if "was never awaited" in str(w.message)]
    return trial


def _never_awaited(warning: warnings.WarningMessage) -> str:
    """The warning's first line, plus where the coroutine was made when that is known:
    coroutine 'sleep' was never awaited (created at solution.py, line 9: `asyncio.sleep(1)`)
    """
    first = str(warning.message).splitlines()[0]
    for filename, line_no, _function in getattr(warning.source, "cr_origin", None) or ():
        if not filename.startswith((_ASYNCIO_DIR, _TESTKIT_DIR)):
            code = linecache.getline(filename, line_no).strip()
            return f"{first} (created at {Path(filename).name}, line {line_no}: `{code}`)"
    return first


async def _observe(scenario: Scenario, trial: Trial) -> None:
    attempt = Attempt()
    trial.services = attempt.services
    trial.recorders = attempt.recorders
    heartbeat = Heartbeat()
    heartbeat.start()
    await clock.pause(0)  # the heartbeat must be beating before the learner's code runs
    TRIPWIRE.calls = []
    TRIPWIRE.recording = True
    attempt.origin = started = clock.now()
    cpu_started, process_cpu_started = clock.cpu_now(), clock.process_cpu_now()
    try:
        await _run_learner(scenario, attempt, trial)
    finally:
        trial.elapsed = clock.now() - started
        trial.cpu = clock.cpu_now() - cpu_started
        trial.process_cpu = clock.process_cpu_now() - process_cpu_started
        TRIPWIRE.recording = False
        trial.sleeps = list(TRIPWIRE.calls)
        trial.longest_stall = await heartbeat.stop()
    trial.loop_patched = sorted(set(vars(asyncio.get_running_loop())) & {"time", "call_later",
                                                                      "call_at", "_run_once"})
    trial.leftover = await _collect_leftovers(heartbeat)


async def _run_learner(scenario: Scenario, attempt: Attempt, trial: Trial) -> None:
    deadline: asyncio.Timeout | None = None
    try:
        awaitable = scenario(attempt)
        if not inspect.isawaitable(awaitable):
            trial.result = awaitable
            return
        task = asyncio.ensure_future(awaitable)
        async with asyncio.timeout(trial.budget) as deadline:
            trial.result = await task
    except TimeoutError as exc:
        if deadline is not None and deadline.expired():
            trial.timed_out = True
        else:
            trial.error = exc
    except (Exception, asyncio.CancelledError) as exc:
        trial.error = exc


async def _collect_leftovers(heartbeat: Heartbeat) -> list[str]:
    """Tasks still pending after a short grace: described for the checks, then cancelled."""
    me = asyncio.current_task()
    await clock.pause(GRACE)
    pending = [t for t in asyncio.all_tasks() if t is not me and t is not heartbeat.task
               and not t.done()]
    described = [_describe(t) for t in pending]
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=1.0)
    return described


def _describe(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    name = getattr(coro, "__qualname__", None) or type(coro).__name__
    return f"task {task.get_name()} running {name}()"
