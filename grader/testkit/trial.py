"""Run a learner's coroutine under the witness's eyes and keep the evidence.

A trial runs one scenario: the witness declares the scenario's services (their latencies, failures
and secret answers), sends the scenario to the executor (the process holding the learner's code),
serves every call on its own clock and samples the learner's event-loop thread through the kernel.
The Trial it returns is built only from what the witness saw, plus the executor's testimony (lines
that called time.sleep, coroutines never awaited, leftover tasks), which can explain a failure but
never earn a point. When a band is given and the wall clock lands in its grey zone, or the loop
stalled while the machine, not the code, held it up, the trial is run again (noise only ever adds
time, so the cleanest attempt is kept).

Imports the testkit's blocking, clock, services, timing, watch and work, and the witness's sampler,
scenario, session and values.
"""

from __future__ import annotations

import linecache
import re
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.testkit import clock
from grader.testkit.blocking import BlockingService
from grader.testkit.services import Failure, FakeService, Latency, Probe, Recorder
from grader.testkit.timing import Band, Verdict
from grader.testkit.watch import BlockingSleep
from grader.testkit.work import JOB_PREFIX

GRACE = 0.05  # seconds a leftover task gets to finish on its own before it counts as leaked
STALL_LIMIT = 0.1  # seconds; the kernel's view of the loop thread is exact to a few milliseconds
# Waiting uses next to no CPU; computing fills most of a stall even when other processes take a
# share of the cores, so a quarter tells the two apart with room to spare on a busy machine.
BUSY_SHARE = 0.25


@dataclass
class Attempt:
    """What a scenario uses to build its fake services; every service is kept for the checks."""

    services: list[FakeService] = field(default_factory=list)
    recorders: list[Recorder] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)
    declared: list[FakeService | Probe] = field(default_factory=list)  # in the order made
    origin: float = field(default_factory=clock.now)

    def service(self, name: str = "fetch", latency: Latency = 1.0, *,
                fails: Failure = None) -> FakeService:
        svc = FakeService(name, latency, fails=fails, origin=self.origin)
        self.services.append(svc)
        self.declared.append(svc)
        return svc

    def probe(self, name: str, answer: Callable[[float], Any]) -> Probe:
        """A plain function the learner polls; `answer(seconds since the start)` is its reply."""
        made = Probe(name, answer, origin=self.origin)
        self.probes.append(made)
        self.declared.append(made)
        return made

    def blocking_service(self, name: str = "lookup", latency: Latency = 1.0, *,
                         fails: Failure = None) -> BlockingService:
        """A plain function that blocks its caller (an old client library); see testkit.blocking."""
        svc = BlockingService(name, latency, fails=fails, origin=self.origin)
        self.services.append(svc)
        self.declared.append(svc)
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
    probes: list[Probe] = field(default_factory=list)
    attempts: int = 1
    stall_cpu: float = 0.0      # CPU seconds the loop thread used during its longest stall
    stall_waited: float = 0.0   # seconds it was runnable but waiting for a CPU (not counted in it)
    stall_calls: tuple[str, ...] = ()  # what the kernel saw the thread doing in that stall
    stall_in: str = "a system call"    # the same, in words ("nanosleep")
    stall_excused: float = 0.0  # seconds of it the witness could not see (not counted in it)
    evidence: str = "kernel"    # where the stall figures come from: "kernel" or "in-process"
    late: int = 0               # requests and records that reached the witness after the return
    other_loops: int = 0        # threads besides the loop's seen waiting in a selector (more loops)
    cpu_threads: float = 0.0    # CPU seconds of the learner process's other threads
    cpu_children: float = 0.0   # CPU seconds of the processes the learner's code started
    side_by_side: float = 0.0   # seconds during which two or more of those processes computed
    job_cpu: dict[str, float] = field(default_factory=dict)  # CPU per kernel name of those processes
    jobs_side_by_side: float = 0.0  # seconds two or more processes computed under `crunch-` names
    threads_started: int = 0    # threads the learner's code ran during the trial (the kernel's count)
    waiting: list[tuple[float, float]] = field(default_factory=list)  # (at, CPU-wait so far) of the
    # loop thread: how long the machine kept it from running, to excuse lateness it did not cause

    def waited(self, start: float, end: float) -> float:
        """Seconds between start and end (trial time) the loop thread waited for a busy CPU."""
        def at(moment: float) -> float:
            before = [w for t, w in self.waiting if t <= moment]
            return before[-1] if before else 0.0
        return max(0.0, at(end) - at(start)) if self.waiting else 0.0
    crashed: str = ""           # the learner's process died or stopped answering
    tampered: list[str] = field(default_factory=list)  # kit functions the learner's code replaced
    traceback: list[tuple[str, int, str, str]] = field(default_factory=list)  # learner frames
    explained: tuple[str, ...] = ()  # the learner process's diagnosis of its error, and traceback
    not_awaitable: str = ""     # the type a plain function returned where an awaitable was due
    stuck_at: str = ""          # the learner's line the loop thread was stuck on when it hung

    def service(self, name: str = "fetch") -> FakeService:
        return next(svc for svc in self.services if svc.name == name)

    def recorder(self, name: str = "report") -> Recorder:
        """The recorder of that name; one the learner's code never called has no events."""
        return next((rec for rec in self.recorders if rec.name == name), Recorder(name))

    def probe(self, name: str) -> Probe:
        return next(p for p in self.probes if p.name == name)

    @property
    def finished(self) -> bool:
        return self.error is None and not self.timed_out and not self.crashed


Scenario = Callable[[Attempt], Awaitable[Any]]


def run_trial(scenario: Scenario, *, budget: float, band: Band | None = None,
              retries: int = 2) -> Trial:
    """Run scenario (budget in task seconds); re-run up to `retries` times while the wall clock is
    in the band's grey zone (noise only adds time, so the fastest attempt is kept). Loop stalls need
    no second look: the kernel tells the time the loop thread waited for a busy machine's CPU
    (not counted) from the time it spent blocked or computing (the learner's)."""
    best = _run_once(scenario, clock.scaled(budget))
    for _ in range(retries):
        if not _doubtful(best, band):
            break
        again = _run_once(scenario, clock.scaled(budget))
        again.attempts = best.attempts + 1
        best = again if again.finished and again.elapsed < best.elapsed else best
        best.attempts = again.attempts
    return best


def _doubtful(trial: Trial, band: Band | None) -> bool:
    return trial.finished and band is not None and band.verdict(trial.elapsed) is Verdict.GREY


def _run_once(scenario: Scenario, budget: float) -> Trial:
    from grader.witness import scenario as scenarios
    from grader.witness import session

    kit = Attempt()
    scenarios.declare(scenario, kit)
    packed = scenarios.pack(scenario)
    served = session.executor().serve(session.next_trial(), packed, kit, budget)
    return _from_witness(served, kit, budget)


def _from_witness(served: Any, kit: Attempt, budget: float) -> Trial:
    from grader.witness import sampler
    from grader.witness.values import decode, decode_error

    trial = Trial(budget=budget, services=kit.services, recorders=kit.recorders, probes=kit.probes,
                  late=served.late)
    reply, testimony = served.reply, served.testimony
    if reply.get("broken"):
        raise RuntimeError(f"the kit's scenario could not run in the learner's process: {reply['broken']}")
    trial.elapsed = (served.returned_at or clock.now()) - served.started
    if served.hung or reply.get("timed_out"):
        trial.timed_out = True
        trial.stuck_at = _learner_line(served.stuck_at)
        trial.elapsed = max(trial.elapsed, budget)
    elif served.returned_at is None:
        trial.crashed = served.gone or "it stopped answering"
    elif isinstance(reply.get("error"), dict):
        trial.error = decode_error(reply["error"], served.errors)
    else:
        trial.result = decode(reply.get("result"), served.errors)
        trial.not_awaitable = str(reply.get("not_awaitable") or "")
    trial.sleeps = [BlockingSleep(float(s), str(f), int(n), str(c))
                    for s, f, n, c in _rows(testimony.get("sleeps"), 4)]
    trial.unawaited = [str(u) for u in testimony.get("unawaited") or [] if isinstance(u, str)]
    trial.leftover = [str(u) for u in testimony.get("leftover") or [] if isinstance(u, str)]
    trial.loop_patched = [str(u) for u in testimony.get("loop_patched") or [] if isinstance(u, str)]
    trial.tampered = [str(u) for u in testimony.get("tampered") or [] if isinstance(u, str)]
    if served.returns > 1:  # the kit's executor says it once: another came from the learner's code
        trial.tampered.append(f"the grader's link (a forged return message; {served.returns} in all)")
    explained = testimony.get("explained")
    if isinstance(explained, list) and len(explained) == 5 and all(isinstance(x, str) for x in explained):
        trial.explained = tuple(explained)
    trial.traceback = [(str(f), int(n), str(fn), str(c)) for f, n, fn, c in
                       _rows(testimony.get("traceback"), 4)]
    reading = served.reading
    longest = reading.longest if reading.available else None
    if reading.available:
        trial.cpu = reading.cpu
        trial.other_loops = len({tid for _at, tid in reading.other_loops})
        trial.cpu_threads = sampler.used(reading.threads, served.started)
        trial.cpu_children = sampler.used(reading.children, served.started)
        trial.side_by_side = sampler.side_by_side(reading.children)
        trial.job_cpu = {name: points[-1][1] for name, points in reading.jobs.items()}
        trial.jobs_side_by_side = sampler.side_by_side(
            {i: points for i, (name, points) in enumerate(reading.jobs.items())
             if name.startswith(JOB_PREFIX)})
        trial.threads_started = len(reading.started_threads)
        trial.waiting = [(at - served.started, waited) for at, waited in reading.waiting]
        if longest is not None:
            trial.longest_stall, trial.stall_cpu = longest.own, longest.cpu
            trial.stall_waited, trial.stall_calls = longest.waited, longest.calls
            trial.stall_in, trial.stall_excused = longest.described(), longest.unseen
    else:  # no kernel view here (not Linux): the in-process heartbeat, for messages only
        trial.evidence = "in-process"
        trial.longest_stall = float(testimony.get("stall") or 0.0)
    _blocking_calls_on_the_loop(trial, reading.stalls if reading.available else [], served.started)
    return trial


def _blocking_calls_on_the_loop(trial: Trial, stalls: list[Any], origin: float) -> None:
    """A blocking call made on the loop's thread froze the loop for as long as it ran: the kernel
    saw the thread stalled through most of the call. (The executor's word counts too, as a lead.)"""
    for svc in trial.services:
        if not isinstance(svc, BlockingService):
            continue
        for call in svc.calls:
            if call in svc.loop_calls or call.started_at is None or call.ended_at is None:
                continue
            start, end = origin + call.started_at, origin + call.ended_at
            frozen = sum(max(0.0, min(end, s.end) - max(start, s.start)) for s in stalls)
            if end > start and frozen >= 0.5 * (end - start):
                svc.loop_calls.append(call)


def _learner_line(stack: list[str]) -> str:
    """'loop.py, line 3: `pass`' for the innermost frame of the stack outside the kit and Python's
    own libraries (faulthandler lists the innermost frame first)."""
    for line in stack:
        found = re.match(r'File "(?P<file>.+)", line (?P<line>\d+)', line)
        if found and not found["file"].startswith((sys.prefix, sys.base_prefix, _KIT)):
            code = linecache.getline(found["file"], int(found["line"])).strip()
            where = f"{Path(found['file']).name}, line {found['line']}"
            return where + (f": `{code}`" if code else "")
    return ""


_KIT = str(Path(__file__).resolve().parent.parent)


def _rows(raw: Any, width: int) -> list[list[Any]]:
    return [r for r in raw or [] if isinstance(r, list) and len(r) == width]
