"""Challenge 12: return the first successful answer of three mirrors and cancel the others.

Each mirror is its own fake service, so the tests see when each one was asked, when it answered or
failed, and whether it was cancelled. Whether `fastest` stopped waiting in time is read from the
order of those events (ordering checks); the wall clock is then checked against a band.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from grader.testkit import Attempt, Mistake, Trial, band, checks, explain_exception, require, run_trial
from grader.testkit import ordering as order

PATH = "/kit.tar.gz"
WINNER = "mirror_b"  # the first success in both racing scenarios, though never the first to answer
# mirror_a fails fast; mirror_b answers at 0.6 s; waiting for every mirror means waiting for c.
FLAKY = {"mirror_a": 0.2, "mirror_b": 0.6, "mirror_c": 1.6}
# Every mirror is healthy, and the fastest is not the first in the list.
HEALTHY = {"mirror_a": 1.0, "mirror_b": 0.3, "mirror_c": 0.6}
# Every mirror fails.
BROKEN = {"mirror_a": 0.2, "mirror_b": 0.4, "mirror_c": 0.3}
LABEL = "waiting for every mirror"
ASK_ALL = ("Start a task for every mirror (asyncio.create_task) before you wait for any of them, "
           "then wait for the first to finish.")


def race(fastest: Callable[..., Any], latencies: dict[str, float],
         failing: set[str]) -> Callable[[Attempt], Any]:
    """A scenario: one fake service per mirror, the failing ones raising ConnectionError."""
    def scenario(kit: Attempt) -> Any:
        mirrors = [kit.service(name, seconds, fails={PATH: ConnectionError(f"{name}: connection reset")}
                               if name in failing else None)
                   for name, seconds in latencies.items()]
        return fastest(mirrors, PATH)
    return scenario


def run(solution: ModuleType, latencies: dict[str, float], failing: set[str]) -> Trial:
    fastest = require(solution, "fastest")
    slowest = max(latencies.values())
    winner = latencies.get(WINNER, slowest)
    return run_trial(race(fastest, latencies, failing), budget=3 * slowest + 1,
                     band=band(winner, slowest, wrong_label=LABEL))


@pytest.fixture(scope="module")
def flaky(solution: ModuleType) -> Trial:
    return run(solution, FLAKY, {"mirror_a"})


@pytest.fixture(scope="module")
def healthy(solution: ModuleType) -> Trial:
    return run(solution, HEALTHY, set())


@pytest.fixture(scope="module")
def broken(solution: ModuleType) -> Trial:
    return run(solution, BROKEN, set(BROKEN))


def no_failure_returned(trial: Trial) -> None:
    """A mirror's error came back from fastest (raised, returned, or wrapped): failure-returned."""
    for svc in trial.services:
        for call in svc.calls:
            if call.error is None:
                continue
            if trial.result is call.error or order.carries(trial.error, call.error):
                how = "returned" if trial.result is call.error else "raised"
                answers_at = trial.service(WINNER).latency(PATH)
                raise Mistake("failure-returned", f"fastest {how} {call.error!r}: the failure of "
                              f"{svc.name}, which came in first, at {call.ended_at:.2f} s.",
                              f"the body from {WINNER}, the first mirror to succeed (it answers "
                              f"at {answers_at:.2f} s)")


def settled(trial: Trial) -> None:
    """The checks every racing test starts with."""
    no_failure_returned(trial)
    checks.ran_cleanly(trial)
    order.asked_together(trial, trial.services, "mirrors", ASK_ALL)


def answer_is_the_winners(trial: Trial) -> None:
    winner = trial.service(WINNER)
    if trial.result == winner.expected(PATH):
        return
    won_at = winner.calls[0].ended_at or 0.0
    calls = [call for svc in trial.services for call in svc.calls]
    waited = all(c.outcome in ("ok", "error") and (c.ended_at or 0.0) <= trial.elapsed for c in calls)
    for svc in trial.services:
        if svc is not winner and trial.result == svc.expected(PATH):
            arrived = svc.calls[0].ended_at or 0.0
            # Waiting for every answer and then taking the first in the list is one mistake, not two.
            code, how = ("waited-for-all", f"waited for all {len(calls)} mirrors ({trial.elapsed:.2f} s), "
                         "then returned ") if waited else ("wrong-result", "returned ")
            raise Mistake(code, f"fastest {how}{svc.name}'s body, which arrived at {arrived:.2f} s.",
                          f"{WINNER}'s body, the first success ({won_at:.2f} s), returned as soon as "
                          "it arrives", "Return the first answer to *arrive*, not the first in the "
                          "list: wake up each time a mirror finishes, and stop at the first that "
                          "succeeded (`grader hint 12`).")
    checks.result_equals(trial, winner.expected(PATH), "the body fastest returned")


def losers_cancelled(trial: Trial) -> None:
    winner = trial.service(WINNER)
    won = winner.calls[0] if winner.calls else None
    # When the winner answered (or, had it been cut short, would have): the losers' cut-off.
    over = won.ended_at if won and won.outcome == "ok" and won.ended_at else winner.latency(PATH)
    losers = order.calls_of(*(svc for svc in trial.services if svc is not winner),
                            skip=lambda c: c.outcome == "error" and (c.ended_at or 0.0) <= over)
    order.stopped_on_return(trial, losers, code="not-cancelled", finished_code="waited-for-all",
                            since=("the first answer came in", over), function="fastest")
    checks.no_leftovers(trial)


@pytest.mark.points(3)
def test_skips_a_mirror_that_fails_fast(flaky: Trial) -> None:
    """a mirror that fails first is skipped: fastest returns the first success"""
    settled(flaky)
    answer_is_the_winners(flaky)


@pytest.mark.points(2)
def test_returns_the_answer_that_arrives_first(healthy: Trial) -> None:
    """with every mirror healthy, fastest returns the answer that arrives first"""
    settled(healthy)
    answer_is_the_winners(healthy)


@pytest.mark.points(2)
def test_cancels_the_slower_mirrors(flaky: Trial, healthy: Trial) -> None:
    """the slower mirrors are cancelled before fastest returns"""
    for trial in (flaky, healthy):
        settled(trial)
        losers_cancelled(trial)


@pytest.mark.points(2)
def test_returns_as_soon_as_one_succeeds(flaky: Trial, healthy: Trial) -> None:
    """fastest returns as soon as the first mirror succeeds"""
    for trial, latencies in ((flaky, FLAKY), (healthy, HEALTHY)):
        settled(trial)
        checks.within(trial, band(latencies[WINNER], max(latencies.values()), wrong_label=LABEL),
                      slow_code="waited-for-all", what="fastest")


@pytest.mark.points(1)
def test_raises_when_every_mirror_fails(broken: Trial) -> None:
    """when every mirror fails, fastest raises an ExceptionGroup of their errors"""
    if broken.timed_out:
        checks.finished(broken)
    checks.no_blocking(broken)
    errors = [call.error for svc in broken.services for call in svc.calls if call.error is not None]
    wanted = f"an ExceptionGroup holding all {len(BROKEN)} ConnectionErrors"
    if broken.error is None:
        raise Mistake("wrong-result", f"Every mirror failed, yet fastest returned {broken.result!r}.",
                      wanted, "After the last failure, `raise ExceptionGroup(\"every mirror failed\", "
                      "errors)` with the errors you collected.")
    caught = order.leaves(broken.error)
    if not any(error in caught or order.carries(broken.error, error) for error in errors):
        raise explain_exception(broken.error)
    if not isinstance(broken.error, BaseExceptionGroup) or {id(e) for e in caught} != {id(e) for e in errors}:
        raise Mistake("wrong-result", f"Every mirror failed, and fastest raised {broken.error!r}.",
                      wanted, "Collect each mirror's error as it comes in, and after the last one "
                      "`raise ExceptionGroup(\"every mirror failed\", errors)`.")
    checks.no_leftovers(broken)
