"""Challenge 15: keep the loop responsive by running CPU-heavy work in a process pool.

The witness reads the kernel's CPU accounting of the learner's process tree: how much CPU the loop's
thread, the process's other threads and each process it started used, and for how long two or more
of those processes computed at once (on one core they take turns within every few milliseconds,
which counts as side by side; one after another does not). What `crunch` returns only proves the
work was done: its digest cannot be had without the hashing.
"""

from __future__ import annotations

import secrets
from types import ModuleType

import pytest

from grader.testkit import Mistake, Trial, checks, require, run_trial, scaled
from grader.testkit.work import JOB_PREFIX, Work, crunch, digest, rounds_for

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
    work = JOBS * scaled(CPU_PER_JOB)
    if trial.cpu_threads > work / 2 and not trial.sleeps:
        raise Mistake("threads-for-cpu", f"Threads of your process computed ({trial.cpu_threads:.2f} s "
                      f"of CPU) while the loop was meant to stay free: pure-Python work in a thread "
                      "holds the GIL, so the loop's thread has to wait for its turn (it stalled for "
                      f"up to {trial.longest_stall:.2f} s).", "the work in other processes, which "
                      "have a GIL each, and the loop free")
    checks.no_blocking(trial)


@pytest.mark.points(3)
def test_jobs_run_in_other_processes_side_by_side(trial: Trial) -> None:
    """the jobs run in other processes, overlapping"""
    checks.finished(trial)
    work = JOBS * scaled(CPU_PER_JOB)
    if trial.evidence != "kernel":  # no kernel view on this platform: nothing here can be proven
        pytest.skip("the process tree's CPU can only be measured on Linux")
    if trial.cpu_threads > work / 2:
        raise Mistake("threads-for-cpu", f"The jobs ran in threads of your process: they used "
                      f"{trial.cpu_threads:.2f} s of CPU there, and only {trial.cpu_children:.2f} s "
                      f"in other processes ({trial.elapsed:.2f} s in all). Threads of one process take "
                      "turns holding the GIL, so pure-Python work in them never runs in parallel.",
                      "every job in a separate worker process")
    if trial.cpu > work / 2:
        raise Mistake("cpu-bound", f"The jobs ran on the event loop's own thread: it used "
                      f"{trial.cpu:.2f} s of CPU in {trial.elapsed:.2f} s.",
                      "every job in a separate worker process")
    if trial.cpu_children < work / 2:
        raise Mistake("wrong-result", f"The processes your code started used only "
                      f"{trial.cpu_children:.2f} s of CPU, where the {JOBS} jobs need about "
                      f"{work:.2f} s: the work did not run there.", "every job run by crunch in a "
                      "worker process")
    jobs = {name: used for name, used in trial.job_cpu.items() if name.startswith(JOB_PREFIX)}
    doubled = [name for name, used in jobs.items() if used > 2 * scaled(CPU_PER_JOB) + 0.2]
    if doubled:
        raise Mistake("wrong-result", f"More CPU ran under the name of {doubled[0]!r} than one job "
                      f"needs ({jobs[doubled[0]]:.2f} s, where one takes about "
                      f"{scaled(CPU_PER_JOB):.2f} s): something besides crunch's own work was "
                      "counted as that job.", "each job computed once, by crunch")
    if trial.jobs_side_by_side < scaled(CPU_PER_JOB):  # parallel jobs overlap for seconds
        raise Mistake("sequential", f"The {JOBS} jobs ran in other processes but one after "
                      f"another: two or more jobs computed at the same time for only "
                      f"{trial.jobs_side_by_side:.2f} s ({trial.elapsed:.2f} s in all; the kernel "
                      "counts the CPU of each job by the name crunch gives its thread).",
                      "the jobs submitted together, so they overlap",
                      "Start every run_in_executor call first, then await them with asyncio.gather.")
