"""Challenge 10: a quote within the deadline, or the fallback at the deadline, with the call cancelled.

Three scenarios: a fast quote (0.2 s, deadline 1.0 s), a quote just in time (0.8 s, deadline 1.2 s)
and a slow one (3.0 s, deadline 0.6 s). For the slow one, the fake service's record of its call
decides whether it was cancelled, and when: a call still running when the function returned was
abandoned (the trial cancels leftovers only afterwards, so "cancelled" alone would not tell).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from types import ModuleType

import pytest

from grader.testkit import (
    Band,
    Mistake,
    Trial,
    band,
    checks,
    lifecycle,
    render_timeline,
    require,
    run_trial,
    scaled,
)
from grader.testkit.feedback import where_in_solution

FALLBACK = f"last known price #{secrets.token_hex(3)}"  # new every run: it must come from the argument
FAST = ("ACME", 0.2, 1.0)       # symbol, latency, deadline (task seconds)
IN_TIME = ("GLOBEX", 0.8, 1.2)
SLOW = ("INITECH", 3.0, 0.6)


def scenario(solution: ModuleType, case: tuple[str, float, float], timing: Band | None = None) -> Trial:
    quote_or_fallback = require(solution, "quote_or_fallback")
    symbol, latency, deadline = case
    return run_trial(lambda kit: quote_or_fallback(kit.service("get_quote", latency), symbol,
                                                   scaled(deadline), FALLBACK),
                     budget=2 * max(latency, deadline), band=timing)


def fast_band() -> Band:
    return band(FAST[1], FAST[2], wrong_label="waiting out the whole deadline")


def slow_band() -> Band:
    return band(SLOW[2], SLOW[1], wrong_label="waiting for the slow quote")


@pytest.fixture(scope="module")
def slow(solution: ModuleType) -> Trial:
    return scenario(solution, SLOW, slow_band())


@pytest.mark.points(2)
def test_fast_quote_is_returned_at_once(solution: ModuleType, solution_path: Path) -> None:
    """a quote that arrives in 0.2 s is returned, after 0.2 s"""
    trial = scenario(solution, FAST, fast_band())
    returned(trial, solution_path)
    quote = trial.service("get_quote")
    checks.result_equals(trial, quote.expected(FAST[0]), "the value returned for a quote that came in 0.2 s")
    checks.within(trial, fast_band(), slow_code="too-slow")


@pytest.mark.points(2)
def test_quote_just_in_time_is_returned(solution: ModuleType, solution_path: Path) -> None:
    """a quote that arrives in 0.8 s, before a 1.2 s deadline, is returned"""
    trial = scenario(solution, IN_TIME)
    returned(trial, solution_path)
    quote = trial.service("get_quote")
    if trial.result == FALLBACK:
        answered = quote.calls[0].ended_at if quote.calls else None
        when = f"the quote arrived at {answered:.2f} s, " if answered is not None else ""
        raise Mistake("wrong-result", f"You returned the fallback, but {when}before the deadline of "
                      f"{scaled(IN_TIME[2]):.2f} s.", "the quote, since it came in time",
                      "Use the `deadline` argument as the time limit, measured from the call, with "
                      "nothing added or taken away.", details=render_timeline(trial.services))
    checks.result_equals(trial, quote.expected(IN_TIME[0]), "the value returned for a quote in time")


@pytest.mark.points(3)
def test_slow_quote_gives_the_fallback_at_the_deadline(slow: Trial, solution_path: Path) -> None:
    """a quote that would take 3 s gives the fallback at the 0.6 s deadline"""
    returned(slow, solution_path)
    checks.within(slow, slow_band(), slow_code="no-deadline")
    if slow.result != FALLBACK:
        raise Mistake("wrong-result", f"When the deadline passed, your function returned {slow.result!r}.",
                      f"the fallback it was given: {FALLBACK!r}",
                      "Return the `fallback` argument itself when the deadline passes.")


@pytest.mark.points(3)
def test_slow_call_is_cancelled_before_returning(slow: Trial, solution_path: Path) -> None:
    """past the deadline the slow call is cancelled, and nothing is left running"""
    returned(slow, solution_path)
    quote = slow.service("get_quote")
    if quote.called != 1:
        raise Mistake("wrong-result", f"Your function called get_quote {quote.called} times.",
                      f"one call, get_quote({SLOW[0]!r})", details=render_timeline(slow.services))
    waited = [c for c in quote.calls if c.outcome in ("ok", "error")]
    if waited:
        raise Mistake("no-deadline", f"The slow get_quote({SLOW[0]!r}) call ran to its end at "
                      f"{waited[0].ended_at or 0:.2f} s and your function waited for it; the deadline "
                      f"was {scaled(SLOW[2]):.2f} s.", "the call cancelled when the deadline passes",
                      details=render_timeline(slow.services))
    lifecycle.settled_on_return(slow)
    checks.no_leftovers(slow)


def returned(trial: Trial, solution_path: Path) -> None:
    """The usual clean run, with a TimeoutError that escaped explained as such."""
    error = trial.error
    if isinstance(error, TimeoutError) and not trial.timed_out:
        where = where_in_solution(error, solution_path.resolve())
        raise Mistake("raised", f"Your function let a TimeoutError escape at {trial.elapsed:.2f} s"
                      f"{where} instead of returning the fallback.",
                      f"the fallback ({FALLBACK!r}) once the deadline passes",
                      "Catch TimeoutError around the whole `async with asyncio.timeout(...)` block "
                      "(inside it, the cancelled await sees CancelledError, not TimeoutError), or "
                      "around `await asyncio.wait_for(...)`, and return the fallback there.")
    checks.ran_cleanly(trial)
