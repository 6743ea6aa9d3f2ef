"""The scheduler's promises (grader/schedule.py), with stand-in runs: no real challenge runs here.

- runs overlap up to the jobs asked, and results come back in the order asked;
- a run that shared the machine and lost points on anything but clock-free evidence is measured
  again alone, after every first try, and only that result counts; a full or clock-free result is
  final; with one job nothing is measured twice;
- closing the results early cancels the runs not yet started.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from grader import catalog, schedule
from grader.catalog import Challenge
from grader.model import ChallengeResult, Status
from grader.testkit.diagnoses import CLOCK_FREE, DIAGNOSES

KIT = Path(__file__).resolve().parent.parent
CHALLENGES = catalog.discover(KIT)


def _result(challenge: Challenge, status: Status = Status.PASSED,
            diagnoses: tuple[str, ...] = ()) -> ChallengeResult:
    points = float(challenge.points)
    return ChallengeResult(id=challenge.id, title=challenge.title, status=status,
                           score=points if status is Status.PASSED else 0.0, max_score=points,
                           diagnoses=diagnoses)


class Machine:
    """Stand-in runs that record how many ran at once and which ran beside another."""

    def __init__(self, seconds: float = 0.05) -> None:
        self.seconds = seconds
        self.lock = threading.Lock()
        self.running: set[str] = set()
        self.peak = 0
        self.beside: dict[str, list[bool]] = {}  # per challenge: for each run, did it overlap?
        self.outcome: dict[str, ChallengeResult] = {}

    def run(self, challenge: Challenge) -> ChallengeResult:
        with self.lock:
            self.running.add(challenge.id)
            self.peak = max(self.peak, len(self.running))
            overlapped = len(self.running) > 1
        time.sleep(self.seconds)
        with self.lock:
            overlapped = overlapped or len(self.running) > 1
            self.running.discard(challenge.id)
            self.beside.setdefault(challenge.id, []).append(overlapped)
        return self.outcome.get(challenge.id, _result(challenge))


def test_runs_overlap_up_to_the_jobs_and_come_back_in_order() -> None:
    machine = Machine()
    got = [r.id for r in schedule.in_order(CHALLENGES, machine.run, jobs=3)]
    assert got == [c.id for c in CHALLENGES]
    assert machine.peak == 3
    assert all(len(runs) == 1 for runs in machine.beside.values()), "full results are never rerun"


def test_one_job_runs_one_at_a_time_and_never_twice() -> None:
    machine = Machine(seconds=0.01)
    machine.outcome = {c.id: _result(c, Status.FAILED, ("too-slow",)) for c in CHALLENGES[:4]}
    got = list(schedule.in_order(CHALLENGES[:4], machine.run, jobs=1))
    assert [r.status for r in got] == [Status.FAILED] * 4
    assert machine.peak == 1 and all(runs == [False] for runs in machine.beside.values())


@pytest.mark.parametrize(("status", "diagnoses", "again"), [
    (Status.FAILED, ("too-slow",), True),
    (Status.FAILED, ("wrong-result",), True),   # a deadline can pass under load
    (Status.TIMEOUT, ("timeout",), True),
    (Status.FAILED, (), True),
    (Status.FAILED, ("not-implemented",), False),
    (Status.ERROR, ("syntax-error",), False),
    (Status.FAILED, ("not-awaited", "too-slow"), True),
    (Status.FAILED, ("sequential", "not-awaited"), False),  # decided by the calls' overlap
])
def test_a_shared_run_that_lost_points_to_the_clock_is_measured_again_alone(
        status: Status, diagnoses: tuple[str, ...], again: bool) -> None:
    machine = Machine()
    first, others = CHALLENGES[1], CHALLENGES[2:5]
    machine.outcome[first.id] = _result(first, status, diagnoses)
    results = list(schedule.in_order([first, *others], machine.run, jobs=4))
    assert machine.beside[first.id][0] is True, "the first run shared the machine"
    if again:
        assert machine.beside[first.id][1:] == [False], "measured again, alone"
        assert all(len(machine.beside[c.id]) == 1 for c in others), "after every first try"
    else:
        assert len(machine.beside[first.id]) == 1
    assert results[0].status is status


def test_only_the_run_alone_counts() -> None:
    machine = Machine()
    first = CHALLENGES[1]
    calls = []

    def run(challenge: Challenge) -> ChallengeResult:
        result = machine.run(challenge)
        if challenge.id != first.id:
            return result
        calls.append(challenge.id)
        slow = _result(first, Status.FAILED, ("too-slow",))
        return slow if len(calls) == 1 else result  # slow beside others, full alone

    results = list(schedule.in_order(CHALLENGES[1:5], run, jobs=4))
    assert len(calls) == 2 and results[0].status is Status.PASSED
    assert results[0].remeasured, "the report says the verdict is a second run, alone"
    assert not any(r.remeasured for r in results[1:])


def test_a_second_look_waits_for_the_runs_in_progress_and_holds_off_new_ones() -> None:
    gate = schedule.Gate()
    order: list[str] = []
    release = threading.Event()

    def shared(name: str, hold: threading.Event | None = None) -> None:
        with gate.shared():
            order.append(f"start {name}")
            if hold is not None:
                hold.wait(5)
            order.append(f"end {name}")

    first = threading.Thread(target=shared, args=("first", release))
    first.start()
    while not order:
        time.sleep(0.005)
    lone = threading.Thread(target=lambda: schedule.second_look(
        lambda: order.append("alone") or _result(CHALLENGES[0]), gate=gate))
    lone.start()
    time.sleep(0.05)
    assert order == ["start first"], "the second look waits for the run in progress"
    release.set()
    for thread in (first, lone):
        thread.join(5)
    assert order == ["start first", "end first", "alone"]


def test_closing_early_cancels_the_runs_not_started() -> None:
    machine = Machine()
    results = schedule.in_order(CHALLENGES, machine.run, jobs=2)
    assert next(results).id == CHALLENGES[0].id
    results.close()
    assert len(machine.beside) < len(CHALLENGES)


def test_final_results() -> None:
    three = CHALLENGES[2]
    assert schedule.final(_result(three))
    assert schedule.final(replace(_result(three, Status.ERROR), diagnoses=("missing-file",)))
    assert schedule.final(_result(three, Status.FAILED, ("sequential",)))
    assert not schedule.final(_result(three, Status.FAILED, ("blocking-call",)))
    assert not schedule.final(_result(three, Status.TIMEOUT, ("not-implemented",)))


def test_every_clock_free_code_is_a_diagnosis() -> None:
    assert set(DIAGNOSES) >= CLOCK_FREE
