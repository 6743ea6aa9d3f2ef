"""Challenges side by side, without letting the machine's load decide a verdict.

Most of a run is waiting (on the fake services' latencies), and waiting overlaps well: several runs
can share a machine. What must not be shared is the ground a timing verdict stands on. So:

- a run's first try may share the machine (`first_try`, under the gate's shared side);
- a result that gave every point, or lost points only to evidence the clock does not decide (a
  wrong shape, calls that never overlapped, a task left running: `diagnoses.CLOCK_FREE`), is final
  whatever ran beside it: load only adds time, and cannot make a wrong answer right;
- any other result of a run that overlapped another is a *second look*: it is measured again alone
  (`alone`: no other run of this grader process is in progress), after the first tries are done, so
  the machine drains once rather than once per doubt; only the second result counts.

With one job nothing overlaps, and every run is exactly what it was before this module existed.

Imports grader.catalog, grader.model and grader.testkit.diagnoses.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager

from grader.catalog import Challenge
from grader.model import ChallengeResult, Status
from grader.testkit.diagnoses import CLOCK_FREE

Run = Callable[[], ChallengeResult]


def default_jobs() -> int:
    """Runs at a time when none is asked for: three per core (a run is mostly waiting: the
    references' runs use about a third of a core each), at most 6, so a small machine keeps
    headroom for the witnesses' sampling. (2 cores, the references side by side: 12.3 s with 4
    jobs, 9.7 s with 6, 8.5 s with 8, and none measured again alone.)"""
    return max(1, min(6, 3 * (os.cpu_count() or 1)))


class Gate:
    """Shared for first tries, exclusive for second looks; tells a shared run whether another run
    overlapped it at any moment."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._alone = False
        self._overlapped: dict[int, bool] = {}  # per run in progress: did another overlap it?

    @contextmanager
    def shared(self) -> Iterator[Callable[[], bool]]:
        me = object()
        with self._cond:
            self._cond.wait_for(lambda: not self._alone)
            self._shared += 1
            self._overlapped[id(me)] = self._shared > 1
            if self._shared > 1:
                self._overlapped = dict.fromkeys(self._overlapped, True)
        try:
            yield lambda: self._overlapped.get(id(me), False)
        finally:
            with self._cond:
                self._shared -= 1
                self._overlapped.pop(id(me), None)
                self._cond.notify_all()

    @contextmanager
    def alone(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._alone and self._shared == 0)
            self._alone = True
        try:
            yield
        finally:
            with self._cond:
                self._alone = False
                self._cond.notify_all()


GATE = Gate()  # one per grader process: every run it makes passes it


def final(result: ChallengeResult) -> bool:
    """Could load have changed this result? Not if it gave every point, or lost them only to
    diagnoses decided without the clock."""
    if result.status is Status.PASSED:
        return True
    if result.status is Status.TIMEOUT or not result.diagnoses:
        return False
    return all(code in CLOCK_FREE for code in result.diagnoses)


def first_try(run: Run, gate: Gate = GATE) -> tuple[ChallengeResult, bool]:
    """run() beside whatever else runs; (its result, whether it needs a second look alone)."""
    with gate.shared() as overlapped:
        result = run()
        shared = overlapped()
    return result, shared and not final(result)


def second_look(run: Run, gate: Gate = GATE) -> ChallengeResult:
    """run() again with nothing else of this grader running; this result is the verdict."""
    with gate.alone():
        return dataclasses.replace(run(), remeasured=True)


def in_order(challenges: Sequence[Challenge], run_one: Callable[[Challenge], ChallengeResult],
             jobs: int) -> Iterator[ChallengeResult]:
    """Each challenge's result, in the order given, with up to `jobs` first tries at once (those
    that wait longest start first). A result needing a second look waits for every first try to
    end, then is measured alone. Closing the iterator early cancels the runs not yet started."""
    order = sorted(challenges, key=lambda c: -c.timing.min_wait)
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="grader-run") as pool:
        tries: dict[str, Future[tuple[ChallengeResult, bool]]] = {
            c.id: pool.submit(first_try, lambda c=c: run_one(c)) for c in order}
        try:
            for challenge in challenges:
                result, doubtful = tries[challenge.id].result()
                if doubtful:
                    wait(tries.values())
                    result = second_look(lambda c=challenge: run_one(c))
                yield result
        finally:
            for future in tries.values():
                future.cancel()
