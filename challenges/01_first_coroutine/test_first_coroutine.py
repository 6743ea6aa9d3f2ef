"""Challenge 01: a first coroutine that waits without blocking and returns a value.

The drink names are drawn at random, so only a brew that builds its message from `drink` passes.
Waiting is judged on the wall clock against a tolerance band; blocking is judged from the
time.sleep tripwire and the loop's heartbeat, which both trials record.
"""

from __future__ import annotations

import asyncio
import random
from types import ModuleType

import pytest

from grader.testkit import Band, Mistake, Trial, band, checks, require, run_trial, scaled
from grader.witness.values import RemoteCoroutine

DRINKS = ["coffee", "cocoa", "matcha", "chai", "mate", "rooibos", "espresso", "oolong"]
QUICK = 0.2         # seconds: the unit test only needs a short wait
ONE = 0.5           # seconds one brew waits in the timing test (not 1: a hard-coded sleep(1) fails)
PAIR = 1.0          # seconds each of the two brews waits when they run together
BUDGET = 5.0        # seconds before a run that never finishes is stopped


@pytest.fixture(scope="module")
def one_brew(solution: ModuleType) -> tuple[str, Trial]:
    brew = require(solution, "brew")
    drink = random.choice(DRINKS)
    return drink, run_trial(lambda kit: brew(drink, scaled(ONE)), budget=BUDGET,
                            band=band(ONE, 2 * ONE, wrong_label="waiting twice as long"))


@pytest.fixture(scope="module")
def two_brews(solution: ModuleType) -> tuple[list[str], Trial]:
    brew = require(solution, "brew")
    drinks = random.sample(DRINKS, 2)
    trial = run_trial(lambda kit: asyncio.gather(*(brew(d, scaled(PAIR)) for d in drinks)),
                      budget=BUDGET, band=band(PAIR, 2 * PAIR, wrong_label="two brews one after the other"))
    return drinks, trial


@pytest.mark.points(2)
def test_brew_is_a_coroutine_function(solution: ModuleType) -> None:
    """brew is defined with async def"""
    require(solution, "brew", coroutine=True)


@pytest.mark.points(2)
def test_brew_returns_that_the_drink_is_ready(solution: ModuleType) -> None:
    """await brew(drink, seconds) returns "<drink> is ready\""""
    brew = require(solution, "brew")
    drink = random.choice(DRINKS)
    trial = run_trial(lambda kit: brew(drink, scaled(QUICK)), budget=BUDGET)
    call = f"await brew({drink!r}, {scaled(QUICK):g})"
    if trial.timed_out:
        raise Mistake("never-finished", f"{call} was still running after {scaled(BUDGET):g} s and "
                      "was stopped.", "it to return soon after its wait")
    checks.finished(trial)  # how it waits is the timing tests' job; this one is about the value
    if isinstance(trial.result, RemoteCoroutine):
        raise Mistake("not-awaited", f"{call} gave back a coroutine object, not a string: brew "
                      "returned a coroutine it should have awaited.", f"the string {drink + ' is ready'!r}")
    if trial.result != f"{drink} is ready":
        raise Mistake("wrong-result", f"{call} returned {trial.result!r}.",
                      f"{drink + ' is ready'!r}, built from the drink brew was given")


@pytest.mark.points(3)
def test_brew_waits_the_seconds_it_is_given(one_brew: tuple[str, Trial]) -> None:
    """brew waits about `seconds` before it returns"""
    drink, trial = one_brew
    checks.finished(trial)  # blocking is the two-brews test's job: a time.sleep brew waits the right time
    checks.all_awaited(trial)  # a dropped asyncio.sleep(...) is the usual reason for "too fast"
    _within(trial, band(ONE, 2 * ONE, wrong_label="waiting twice as long"),
            what=f"brew({drink!r}, {scaled(ONE):g})")


@pytest.mark.points(3)
def test_two_brews_wait_at_the_same_time(two_brews: tuple[list[str], Trial]) -> None:
    """two brews started together take one brew's time: brew does not block the loop"""
    drinks, trial = two_brews
    checks.ran_cleanly(trial)
    checks.result_equals(trial, [f"{d} is ready" for d in drinks],
                         f"what gather returned for brew({drinks[0]!r}, ...) and brew({drinks[1]!r}, ...)")
    _within(trial, band(PAIR, 2 * PAIR, wrong_label="two brews one after the other"),
            what=f"Two brews of {scaled(PAIR):g} s each, run together,")


def _within(trial: Trial, expected: Band, what: str) -> None:
    """checks.within, with a next step that fits a single wait that ran long."""
    try:
        checks.within(trial, expected, slow_code="too-slow", what=what)
    except Mistake as slow:
        if slow.code != "too-slow":
            raise
        raise Mistake("too-slow", slow.happened, slow.expected, "Wait exactly the `seconds` brew is "
                      "given, once: `await asyncio.sleep(seconds)`, not a fixed number.") from None
