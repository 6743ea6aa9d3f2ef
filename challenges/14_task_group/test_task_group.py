"""Challenge 14: run jobs in a TaskGroup; one failure cancels the others and reaches the caller.

Each job is a zero-argument async function the test builds around a fake service call, with a
`finally` that tells the `cleanup` recorder the job is over. So the tests see each job's fate
(finished, failed, cancelled, still running) and when its cleanup ran, all on the clock that
also says when run_all returned or raised.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import ModuleType

import pytest

from grader.testkit import (
    Attempt,
    FakeService,
    Mistake,
    Recorder,
    Trial,
    band,
    checks,
    explain_exception,
    render_timeline,
    require,
    run_trial,
)
from grader.testkit import ordering as order

# Everything succeeds: results in the order of the jobs, in about the longest job's time.
QUICK = {"resize": 0.5, "upload": 0.3, "index": 0.4}
# "charge" fails after 0.2 s; the others would take far longer, and must be cancelled instead.
FAILING = {"ship": 1.5, "charge": 0.2, "email": 2.0}
BROKEN = "charge"
# Waiting for even one of the other jobs before raising takes at least this long.
SOONEST_OTHER = min(seconds for name, seconds in FAILING.items() if name != BROKEN)
WAITED = "waiting for another job"


def job(service: FakeService, name: str, cleanup: Recorder) -> Callable[[], Awaitable[str]]:
    """A job as the learner receives it: `await job()` runs it; its finally always reports."""
    async def run() -> str:
        try:
            return await service(name)
        finally:
            cleanup(name)
    run.__name__ = run.__qualname__ = name
    return run


def scenario(run_all: Callable[..., Awaitable[object]], latencies: dict[str, float],
             failing: str | None) -> Callable[[Attempt], Awaitable[object]]:
    def build(kit: Attempt) -> Awaitable[object]:
        fails = {failing: ValueError(f"{failing}: card declined")} if failing else None
        service, cleanup = kit.service("job", latencies, fails=fails), kit.recorder("cleanup")
        return run_all([job(service, name, cleanup) for name in latencies])
    return build


@pytest.fixture(scope="module")
def quick(solution: ModuleType) -> Trial:
    run_all = require(solution, "run_all")
    return run_trial(scenario(run_all, QUICK, None), budget=3 * sum(QUICK.values()),
                     band=band(max(QUICK.values()), sum(QUICK.values())))


@pytest.fixture(scope="module")
def failing(solution: ModuleType) -> Trial:
    run_all = require(solution, "run_all")
    return run_trial(scenario(run_all, FAILING, BROKEN), budget=3 * max(FAILING.values()),
                     band=band(FAILING[BROKEN], SOONEST_OTHER, wrong_label=WAITED))


def error_reached_caller(trial: Trial) -> None:
    """The failed job's very exception came out of run_all: bare, or inside an ExceptionGroup."""
    if trial.timed_out:
        checks.finished(trial)
    checks.no_blocking(trial)
    call = next((c for c in trial.service("job").calls if c.arg == BROKEN), None)
    if call is None or call.error is None:  # the failing job never got to fail: say why
        checks.finished(trial)
        raise Mistake("wrong-result", f"run_all returned {trial.result!r} without running the job "
                      f"{BROKEN} to its end.", "every job run: `await job()` for each",
                      details=render_timeline(trial.services, until=trial.elapsed))
    error = call.error
    failed_at = f"job {BROKEN} raised {error!r} at {call.ended_at or 0:.2f} s"
    if trial.error is None:
        raise Mistake("swallowed-error", f"run_all returned {trial.result!r} normally, although "
                      f"{failed_at}.", f"run_all to raise that {type(error).__name__} (an "
                      "ExceptionGroup from the TaskGroup holding it is fine)")
    if error in order.leaves(trial.error):
        return
    if not order.carries(trial.error, error):
        raise explain_exception(trial.error)
    raise Mistake("swallowed-error", f"{failed_at}, but run_all raised {trial.error!r} instead, "
                  f"with the {type(error).__name__} only as its cause: a caller's "
                  f"`except* {type(error).__name__}:` cannot catch that.",
                  f"the {type(error).__name__} itself, bare or inside an ExceptionGroup",
                  "Let the TaskGroup's ExceptionGroup (or the job's own exception) propagate "
                  "unchanged; do not wrap it in another exception.")


def every_job_started(trial: Trial, jobs: dict[str, float]) -> None:
    """Each job was started exactly once: the others' fate means nothing if they never ran."""
    runs = [c.arg for c in trial.service("job").calls if c.entered]
    never = [name for name in jobs if name not in runs]
    twice = sorted({name for name in runs if runs.count(name) > 1})
    if never or twice:
        parts = [f"never started {', '.join(never)}"] if never else []
        parts += [f"started {', '.join(twice)} more than once"] if twice else []
        what = "; ".join(parts)
        raise Mistake("wrong-result", f"run_all {what} (it started {runs}).",
                      f"every job started once, all at the start: {list(jobs)}",
                      "Create a task for every job you are given, whatever its name, in one "
                      "TaskGroup block.", details=render_timeline(trial.services, until=trial.elapsed))


def cleanups_ran(trial: Trial) -> None:
    """Every job that started had run its finally when the error reached the caller."""
    cleanup = trial.recorder("cleanup")
    done = {event.value for event in cleanup.events if event.at <= trial.elapsed}
    missing = [c.arg for c in trial.service("job").calls if c.entered and c.arg not in done]
    if missing:
        raise Mistake("siblings-left-running", f"When run_all raised at {trial.elapsed:.2f} s, the "
                      f"cleanup of {', '.join(missing)} had not run yet.",
                      "each cancelled job's cleanup (its finally block) done before run_all raises",
                      "Await the cancelled tasks before raising; a TaskGroup does this for you.")


@pytest.mark.points(2)
def test_returns_every_result_in_order(quick: Trial) -> None:
    """when every job succeeds, run_all returns their results in the order of the jobs"""
    checks.ran_cleanly(quick)
    job_service = quick.service("job")
    runs = [call.arg for call in job_service.calls]
    if sorted(runs) != sorted(QUICK):
        raise Mistake("wrong-result", f"run_all ran the jobs {runs}.", f"each job run exactly once: "
                      f"{list(QUICK)}", "Call each job once, `job()`, and await what it returns.")
    checks.result_equals(quick, [job_service.expected(name) for name in QUICK], "the list run_all returned")


@pytest.mark.points(1)
def test_runs_the_jobs_together(quick: Trial) -> None:
    """the jobs run at the same time"""
    checks.ran_cleanly(quick)
    start_all = "Create a task for every job in one `async with asyncio.TaskGroup() as tg:` block."
    checks.concurrent(quick, quick.service("job"), at_least=len(QUICK), next_step=start_all)
    checks.within(quick, band(max(QUICK.values()), sum(QUICK.values())), next_step=start_all)


@pytest.mark.points(1)
def test_the_error_reaches_the_caller(failing: Trial) -> None:
    """when a job fails, its exception reaches run_all's caller"""
    error_reached_caller(failing)


@pytest.mark.points(5)
def test_the_other_jobs_are_cancelled_and_clean_up(failing: Trial) -> None:
    """when a job fails, the others are cancelled and have cleaned up before run_all raises"""
    if failing.timed_out:
        checks.finished(failing)
    checks.no_blocking(failing)
    every_job_started(failing, FAILING)
    service = failing.service("job")
    broken = next((c for c in service.calls if c.arg == BROKEN), None)
    since = (f"job {BROKEN} failed", broken.ended_at) if broken and broken.ended_at else None
    order.stopped_on_return(failing, order.calls_of(service, skip=lambda c: c.arg == BROKEN),
                            code="siblings-left-running", finished_code="siblings-left-running",
                            since=since, function="run_all")
    cleanups_ran(failing)
    checks.no_leftovers(failing)


@pytest.mark.points(1)
def test_the_error_arrives_as_soon_as_the_job_fails(failing: Trial) -> None:
    """the error reaches the caller as soon as the job fails, not after the others"""
    error_reached_caller(failing)
    every_job_started(failing, FAILING)
    checks.within(failing, band(FAILING[BROKEN], SOONEST_OTHER, wrong_label=WAITED),
                  slow_code="siblings-left-running", what="run_all")
