"""Challenge 03: two greetings whose waits overlap, so the shorter wait greets first.

`say` is a recorder: it timestamps each greeting (seconds since the call started), so the tests
know who greeted when. The delays come from the tests, and a second scenario swaps them, so an
order written into the code cannot pass both. "One after the other" is recognised from the
pattern of the times (the second greeting comes the sum of both delays after the start), "wrong
order" from who came first, and the total time is checked against the tolerance band.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from grader.testkit import Mistake, Trial, Verdict, band, checks, require, run_trial, scaled

NAMES = ["Ada", "Grace", "Linus", "Guido", "Barbara", "Edsger", "Margaret", "Dennis"]
GREET_DELAY = 0.5                          # seconds: greet on its own
BOB_FIRST = {"Alice": 2.0, "Bob": 1.0}     # the README's story: Bob waits less, so he greets first
ALICE_FIRST = {"Alice": 1.0, "Bob": 2.0}   # swapped: a greeting order written into the code fails
LONGEST, SUM = 2.0, 3.0                    # both scenarios: at once vs one after the other
PATTERN = 0.25                             # a time within 25 % of the shorter delay "matches"
BUDGET = 10.0


def _greet_both(solution: ModuleType, delays: dict[str, float]) -> Callable[[Any], Any]:
    greet_both = require(solution, "greet_both")
    return lambda kit: greet_both(kit.recorder("say"), alice_delay=scaled(delays["Alice"]),
                                  bob_delay=scaled(delays["Bob"]))


@pytest.fixture(scope="module")
def one_greeting(solution: ModuleType) -> tuple[str, Trial]:
    greet = require(solution, "greet")
    name = random.choice(NAMES)
    return name, run_trial(lambda kit: greet(name, scaled(GREET_DELAY), kit.recorder("say")),
                           budget=BUDGET)


@pytest.fixture(scope="module")
def bob_first(solution: ModuleType) -> Trial:
    return run_trial(_greet_both(solution, BOB_FIRST), budget=BUDGET, band=band(LONGEST, SUM))


@pytest.fixture(scope="module")
def alice_first(solution: ModuleType) -> Trial:
    return run_trial(_greet_both(solution, ALICE_FIRST), budget=BUDGET, band=band(LONGEST, SUM))


@pytest.mark.points(2)
def test_greet_says_hello_after_its_delay(one_greeting: tuple[str, Trial]) -> None:
    """greet(name, delay, say) waits delay seconds, then says hello once"""
    name, trial = one_greeting
    checks.ran_cleanly(trial)
    _said_once(trial, [f"Hello, {name}!"], "greet")
    at = trial.recorder("say").events[0].at
    wait = band(GREET_DELAY, 2 * GREET_DELAY)
    verdict = wait.verdict(at)
    if verdict is Verdict.TOO_FAST:
        raise Mistake("too-fast", f"greet said hello at {at:.2f} s, before its {wait.ideal:.2f} s wait "
                      "was over.", f"the greeting after the wait, at {wait.lower:.2f}-{wait.upper:.2f} s")
    if verdict is not Verdict.OK:
        raise Mistake("too-slow", f"greet said hello at {at:.2f} s, {at - wait.ideal:.2f} s after its "
                      f"{wait.ideal:.2f} s wait was over.", f"the greeting right after the wait, at "
                      f"{wait.lower:.2f}-{wait.upper:.2f} s", "Wait `delay` seconds once, then call say.")


@pytest.mark.points(2)
def test_both_are_greeted_once(bob_first: Trial) -> None:
    """greet_both says hello to Alice and to Bob, once each"""
    _greeted_both(bob_first)


@pytest.mark.points(3)
def test_the_shorter_wait_greets_first(bob_first: Trial, alice_first: Trial) -> None:
    """whoever waits less greets first, at the end of their own wait (delays swapped too)"""
    scenarios = [(bob_first, BOB_FIRST), (alice_first, ALICE_FIRST)]
    for trial, _ in scenarios:
        _greeted_both(trial)
    for trial, delays in scenarios:  # the strongest evidence first: it explains the order too
        _not_one_after_the_other(trial, delays)
    for trial, delays in scenarios:
        _shorter_first(trial, delays)
    for trial, delays in scenarios:
        _each_on_time(trial, delays)


@pytest.mark.points(3)
def test_takes_the_longest_wait_not_the_sum(bob_first: Trial) -> None:
    """both greetings are done in about 2 s (the longest wait), not 3 s (the sum)"""
    _greeted_both(bob_first)
    slow_code = "sequential" if _one_after_the_other(bob_first, BOB_FIRST) else "too-slow"
    try:
        checks.within(bob_first, band(LONGEST, SUM, wrong_label="one greeting after the other"),
                      slow_code=slow_code, what="greet_both")
    except Mistake as late:
        raise Mistake(late.code, late.happened, late.expected, late.next_step,
                      details=_chart(bob_first, BOB_FIRST)) from None


# -- the evidence, read from the recorded greetings -------------------------------------------


def _greeted_both(trial: Trial) -> None:
    checks.ran_cleanly(trial)
    _said_once(trial, ["Hello, Alice!", "Hello, Bob!"], "greet_both")


def _said_once(trial: Trial, expected: list[str], who: str) -> None:
    values = trial.recorder("say").values
    if not values and trial.leftover:
        raise Mistake("leaked-task", f"{who} returned at {trial.elapsed:.2f} s without having greeted "
                      f"anyone, while this was still running: {', '.join(trial.leftover)}.",
                      f"{who} to return only once every greeting has been said",
                      f"Await what you start before {who} returns: `await asyncio.gather(...)`, or "
                      "`await task` for each task you created.")
    if not values:
        raise Mistake("wrong-result", f"say was never called: {who} greeted nobody.",
                      f"one call of say for each of {expected}",
                      "Greet through the `say` function you are given: say(f\"Hello, {name}!\"), "
                      "not print(...).")
    if sorted(map(repr, values)) != sorted(map(repr, expected)):
        raise Mistake("wrong-result", f"say was called {len(values)} time(s), with {values!r}.",
                      f"exactly one call for each of {expected!r}")


def _said(trial: Trial) -> list[tuple[str, float]]:
    """(name, seconds) for each greeting, in the order they were said."""
    return [(str(e.value).removeprefix("Hello, ").removesuffix("!"), e.at)
            for e in trial.recorder("say").events]


def _one_after_the_other(trial: Trial, delays: dict[str, float]) -> bool:
    """The first greeting came after its own delay, the second after both delays added up."""
    (first, t1), (second, t2) = _said(trial)
    d1, d2 = scaled(delays[first]), scaled(delays[second])
    near = PATTERN * min(d1, d2)
    return abs(t1 - d1) <= near and abs(t2 - (d1 + d2)) <= near


def _not_one_after_the_other(trial: Trial, delays: dict[str, float]) -> None:
    if not _one_after_the_other(trial, delays):
        return
    (first, t1), (second, t2) = _said(trial)
    short, long = sorted(delays, key=delays.__getitem__)
    raise Mistake("sequential", f"{second} was greeted at {t2:.2f} s: {second}'s "
                  f"{scaled(delays[second]):.2f} s wait began only after {first} had been greeted at "
                  f"{t1:.2f} s, so the two waits ran one after the other and added up.",
                  f"both waits at once: {short} greeted at about {scaled(delays[short]):.2f} s, {long} "
                  f"at about {scaled(delays[long]):.2f} s", details=_chart(trial, delays))


def _shorter_first(trial: Trial, delays: dict[str, float]) -> None:
    said = _said(trial)
    short, long = sorted(delays, key=delays.__getitem__)
    if said[0][0] == short:
        return
    at = dict(said)
    raise Mistake("wrong-order", f"{long} was greeted first, at {at[long]:.2f} s, although {short} "
                  f"waits less ({scaled(delays[short]):.2f} s against {scaled(delays[long]):.2f} s); "
                  f"{short} was greeted only at {at[short]:.2f} s.",
                  f"{short} first, as soon as {short}'s own wait is over",
                  "Let each greeting be said by its own greet, right after its own wait, and run the "
                  "two greet calls at the same time; do not say the greetings in a fixed order.",
                  details=_chart(trial, delays))


def _each_on_time(trial: Trial, delays: dict[str, float]) -> None:
    for name, at in _said(trial):
        other = next(n for n in delays if n != name)
        wait = band(delays[name], delays[name] + delays[other])  # wrong: waited for the other first
        verdict = wait.verdict(at)
        if verdict is Verdict.TOO_FAST:
            raise Mistake("too-fast", f"{name} was greeted at {at:.2f} s, before {name}'s "
                          f"{wait.ideal:.2f} s wait was over.", f"{name} greeted at "
                          f"{wait.lower:.2f}-{wait.upper:.2f} s", details=_chart(trial, delays))
        if verdict is not Verdict.OK:
            raise Mistake("too-slow", f"{name} was greeted at {at:.2f} s, {at - wait.ideal:.2f} s after "
                          f"{name}'s {wait.ideal:.2f} s wait was over.", f"{name} greeted at "
                          f"{wait.lower:.2f}-{wait.upper:.2f} s, as soon as that wait ends",
                          "Pass each person their own delay (alice_delay, bob_delay) and let greet "
                          "say hello right after its wait.", details=_chart(trial, delays))


def _chart(trial: Trial, delays: dict[str, float], width: int = 40) -> str:
    """A one-line-per-person picture of when each greeting came, against each one's own delay."""
    said = dict(_said(trial))
    end = max([trial.elapsed, *said.values(), *map(scaled, delays.values())]) or 1e-9
    lines = [f"Greetings (0 to {end:.2f} s; ● greeted, | where that person's own wait ends):"]
    for name, delay in delays.items():
        row = ["·"] * width
        row[min(width - 1, round(scaled(delay) / end * (width - 1)))] = "|"
        if name in said:
            row[min(width - 1, round(said[name] / end * (width - 1)))] = "●"
        when = f"greeted at {said[name]:.2f} s" if name in said else "never greeted"
        lines.append(f"  {name:<5} (waits {scaled(delay):.2f} s) {''.join(row)} {when}")
    return "\n".join(lines)
