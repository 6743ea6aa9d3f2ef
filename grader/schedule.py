"""Challenges side by side, without letting the machine's load decide a verdict.

Most of a run is waiting (on the fake services' latencies), and waiting overlaps well: several runs
can share a machine. What must not be shared is the ground a timing verdict stands on. So every run
of a grader process passes one gate:

- runs side by side hold the gate together (`shared`); a run that overlapped another and did not
  earn full points on clock-free evidence alone is measured again *alone* (`alone`: it waits for
  the runs in progress, and no new one starts until it is done), and only that result counts;
- a challenge whose verdict needs the machine's cores (catalog `[timing] alone = true`, the process
  pool of 15) is only ever run alone;
- a result that gave every point, or lost points only to clock-free diagnoses (a wrong answer, a
  coroutine never awaited: `diagnoses.CLOCK_FREE`), is final whatever ran beside it: load only ever
  adds time and cannot make a wrong answer right.

With one job nothing overlaps, and runs are exactly what they were before this module existed.

Imports grader.catalog, grader.model and grader.testkit.diagnoses.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from grader.catalog import Challenge
from grader.model import ChallengeResult, Status
from grader.testkit.diagnoses import CLOCK_FREE


def default_jobs() -> int:
    """Runs at a time when none is asked for: about twice the cores (a run is mostly waiting),
    at most 4, so a small machine keeps headroom for the sampler and the fake services."""
    return max(1, min(4, 2 * (os.cpu_count() or 1)))


class Gate:
    """A shared/alone lock that favours `alone`: once a run waits to be alone, no new shared run
    starts, so a re-measurement never starves behind a stream of new runs."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._alone = False
        self._waiting_alone = 0
        self._overlaps: dict[int, bool] = {}  # per running shared run: did another run beside it?

    @contextmanager
    def shared(self) -> Iterator[Callable[[], bool]]:
        """Hold the gate with others; yields a function telling whether any other run overlapped."""
        me = threading.get_ident()
        with self._cond:
            self._cond.wait_for(lambda: not self._alone and not self._waiting_alone)
            self._shared += 1
            self._overlaps[me] = self._shared > 1
            if self._shared > 1:
                for key in self._overlaps:
                    self._overlaps[key] = True
        try:
            yield lambda: self._overlaps.get(me, False)
        finally:
            with self._cond:
                self._shared -= 1
                self._cond.notify_all()

    @contextmanager
    def alone(self) -> Iterator[None]:
        with self._cond:
            self._waiting_alone += 1
            self._cond.wait_for(lambda: not self._alone and self._shared == 0)
            self._waiting_alone -= 1
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


def measured(run: Callable[[], ChallengeResult], alone: bool = False,
             gate: Gate = GATE) -> ChallengeResult:
    """run() under the gate: alone when asked, else beside others and again alone if needed."""
    if not alone:
        with gate.shared() as overlapped:
            result = run()
            shared_with_others = overlapped()
        if not shared_with_others or final(result):
            return result
    with gate.alone():
        return run()


def in_order(challenges: Sequence[Challenge], run_one: Callable[[Challenge], ChallengeResult],
             jobs: int) -> Iterator[ChallengeResult]:
    """Each challenge's result, in the order given, with up to `jobs` running at once (the ones
    that wait longest start first). Closing the iterator early cancels the runs not yet started."""
    if jobs <= 1:
        for challenge in challenges:
            yield measured(lambda c=challenge: run_one(c), alone=False)
        return
    start_order = sorted(challenges, key=lambda c: (not c.timing.alone, -c.timing.min_wait))
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grader-run") as pool:
        futures: dict[str, Future[ChallengeResult]] = {
            c.id: pool.submit(measured, lambda c=c: run_one(c), c.timing.alone)
            for c in start_order}
        try:
            for challenge in challenges:
                yield futures[challenge.id].result()
        finally:
            for future in futures.values():
                future.cancel()
