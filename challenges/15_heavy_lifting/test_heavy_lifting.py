"""Challenge 15: keep the loop responsive by running CPU-heavy work in a process pool.

The given `crunch` reports which process ran each job and when, so the evidence does not depend on
the machine's core count: the heartbeat shows whether the loop stalled, the pids whether the work
left this process, and the jobs' intervals whether they overlapped.
"""

from __future__ import annotations

import os
import secrets
import threading
from types import ModuleType

import pytest

from grader.testkit import Mistake, Trial, checks, require, run_trial, scaled
from grader.testkit.work import Work, crunch, digest, peak_overlap, rounds_for

JOBS = 4
CPU_PER_JOB = 0.4  # seconds of CPU per crunch, at time scale 1


@pytest.fixture(scope="module")
def seeds() -> list[str]:
    return [secrets.token_hex(4) for _ in range(JOBS)]


@pytest.fixture(scope="module")
def rounds() -> int:
    return rounds_for(scaled(CPU_PER_JOB))


@pytest.fixture(scope="module")
def trial(solution: ModuleType, seeds: list[str], rounds: int) -> Trial:
    crunch_all = require(solution, "crunch_all")
    return run_trial(lambda kit: crunch_all(crunch, list(seeds), rounds), budget=30)


@pytest.mark.points(3)
def test_returns_every_result_in_order(trial: Trial, seeds: list[str], rounds: int) -> None:
    """crunch_all returns crunch's result for every seed, in order"""
    checks.finished(trial)
    checks.all_awaited(trial)
    result = trial.result
    if not isinstance(result, list | tuple) or not all(isinstance(w, Work) for w in result):
        raise Mistake("wrong-result", f"crunch_all returned {result!r:.200}.",
                      f"a list of the {JOBS} results crunch returned")
    checks.result_equals(Trial(result=[w.seed for w in result]), seeds, "the order of the results")
    wrong = [w.seed for w in result if w.digest != digest(w.seed, rounds)]
    if wrong:
        raise Mistake("wrong-result", f"The results for {wrong} do not hold what crunch computes.",
                      "the very results crunch returned")


@pytest.mark.points(4)
def test_the_loop_stays_responsive(trial: Trial) -> None:
    """the event loop never stalls while the work runs"""
    checks.finished(trial)
    checks.no_blocking(trial)


@pytest.mark.points(3)
def test_jobs_run_in_other_processes_side_by_side(trial: Trial) -> None:
    """the jobs run in other processes, overlapping"""
    checks.finished(trial)
    jobs = [w for w in trial.result or [] if isinstance(w, Work)]
    here = [w for w in jobs if w.pid == os.getpid()]
    if here:
        # The trial's loop ran in this very thread, so a job with our thread id ran on the loop.
        on_loop = any(w.thread == threading.get_ident() for w in here)
        how = "on the event loop itself" if on_loop else "in threads of this process"
        code = "cpu-bound" if on_loop else "threads-for-cpu"
        raise Mistake(code, f"{len(here)} of {len(jobs)} jobs ran {how} (this process used "
                      f"{trial.process_cpu:.2f} s of CPU in {trial.elapsed:.2f} s).",
                      "every job in a separate worker process")
    if peak_overlap(jobs) < 2:
        raise Mistake("sequential", f"The {len(jobs)} jobs ran in other processes but one after "
                      f"another ({trial.elapsed:.2f} s in all).",
                      "the jobs submitted together, so they overlap",
                      "Start every run_in_executor call first, then await them with asyncio.gather.")
