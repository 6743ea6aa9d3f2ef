"""Challenge 04: waiting, and calling a blocking function, without freezing the event loop.

Both scenarios run a ticker task beside the learner's code, as a real program has other tasks to
keep going. The heartbeat measures how long the loop was frozen, the time.sleep tripwire names the
line, and the fake blocking `lookup` records on which thread each call ran. Busy waiting is
recognised from how often is_ready() was asked, not from CPU time, which depends on the load.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import math
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import TypeVar

import pytest

from grader.testkit import Attempt, Mistake, Trial, band, blocking, checks, require, run_trial, scaled
from grader.testkit.clock import pause
from grader.testkit.services import Probe

READY_AFTER = 0.75  # seconds until is_ready() turns True: not a whole number of intervals, so a
INTERVAL = 0.1      # check that comes later than every interval shows up as noticing it late
LOOKUP = 1.0        # seconds each blocking lookup takes
USERS = ["ada", "grace"]
TICK = 0.1          # seconds between the ticker's ticks
BUDGET = 10.0
EXPECTED_CHECKS = math.ceil(READY_AFTER / INTERVAL) + 1
BUSY = 4 * EXPECTED_CHECKS  # more checks than this: it did not wait between them
# Waiting costs the loop's thread next to no CPU; spinning (even with `await asyncio.sleep(0)` in
# the loop, which keeps the loop free) keeps it on a CPU. A fifth of the time is far above waiting
# and far below spinning, even when other processes take half of the CPU.
SPINNING_SHARE = 0.2
LATE_TICK = 0.05  # seconds a tick may come late (the loop's own work, not the machine's load)

T = TypeVar("T")


async def _beside_ticker(kit: Attempt, work: Awaitable[T]) -> T:
    """Await the learner's work while a ticker task ticks, as the rest of a program would."""
    tick = kit.recorder("tick")

    async def ticker() -> None:
        while True:
            await pause(scaled(TICK))
            tick(None)

    ticking = asyncio.create_task(ticker(), name="ticker")
    try:
        return await work
    finally:
        ticking.cancel()


@pytest.fixture(scope="module")
def waiting(solution: ModuleType) -> tuple[Probe, Trial]:
    wait_until_ready = require(solution, "wait_until_ready")
    ready_at = scaled(READY_AFTER)

    def scenario(kit: Attempt) -> Awaitable[int]:
        # is_ready() says False until READY_AFTER, then True; the witness answers and counts.
        is_ready = kit.probe("is_ready", lambda at: at >= ready_at)
        return _beside_ticker(kit, wait_until_ready(is_ready, scaled(INTERVAL)))

    trial = run_trial(scenario, budget=BUDGET)
    return trial.probe("is_ready"), trial


@pytest.fixture(scope="module")
def profiles(solution: ModuleType) -> Trial:
    load_profile = require(solution, "load_profile")

    def scenario(kit: Attempt) -> Awaitable[list[str]]:
        lookup = kit.blocking_service("lookup", LOOKUP)
        return _beside_ticker(kit, asyncio.gather(*(load_profile(user, lookup) for user in USERS)))

    return run_trial(scenario, budget=BUDGET, band=band(LOOKUP, 2 * LOOKUP))


@pytest.mark.points(2)
def test_wait_until_ready_returns_how_many_checks_it_made(waiting: tuple[Probe, Trial]) -> None:
    """wait_until_ready returns once is_ready() is True, with the number of checks it made"""
    probe, trial = waiting
    checks.finished(trial)
    if inspect.isawaitable(trial.result):
        checks.all_awaited(trial)
    ready_at = scaled(READY_AFTER)
    if probe.first_true is None:
        raise Mistake("wrong-result", f"wait_until_ready returned at {trial.elapsed:.2f} s, but "
                      f"is_ready() had not returned True yet (it does from {ready_at:.2f} s on).",
                      "it to keep checking until is_ready() returns True")
    if probe.after_true:
        raise Mistake("wrong-result", f"is_ready() returned True at {probe.first_true:.2f} s, and your "
                      f"code asked it {probe.after_true} more time(s) after that.",
                      "it to stop checking at the first True")
    if trial.result != probe.calls:
        raise Mistake("wrong-result", f"wait_until_ready returned {trial.result!r}, but it called "
                      f"is_ready() {probe.calls} times.", f"{probe.calls}: the number of checks it made")
    late, interval = probe.first_true - ready_at, scaled(INTERVAL)
    if late > 2 * interval + 0.05:
        raise Mistake("too-slow", f"is_ready() turned True at {ready_at:.2f} s, but your code noticed "
                      f"only at {probe.first_true:.2f} s, {late:.2f} s later.",
                      f"a check every {interval:.2f} s, so it notices within about {interval:.2f} s",
                      "Check again after each `interval` seconds: `await asyncio.sleep(interval)`.")


@pytest.mark.points(3)
def test_waiting_leaves_the_loop_free(waiting: tuple[Probe, Trial]) -> None:
    """between checks, wait_until_ready lets the loop run other tasks (no time.sleep, no busy loop)"""
    probe, trial = waiting
    checks.finished(trial)
    if trial.sleeps:
        _with_ticks(trial, checks.no_blocking)
    checks.all_awaited(trial)
    if probe.calls > BUSY:
        froze = (f", and with no pause in it the event loop was frozen for {trial.longest_stall:.2f} s"
                 if trial.longest_stall > checks.STALL_LIMIT else ", keeping a CPU core busy all along")
        raise Mistake("busy-wait", f"Your code asked is_ready() {probe.calls:,} times in "
                      f"{trial.elapsed:.2f} s: it checked over and over without waiting in between"
                      f"{froze}.", f"a check every {scaled(INTERVAL):.2f} s, about {EXPECTED_CHECKS} "
                      "checks in all", details=_ticks(trial))
    if trial.evidence == "kernel" and trial.cpu > SPINNING_SHARE * trial.elapsed \
            and _longest_gap(trial) < 3 * scaled(TICK):  # the ticker kept ticking: it yields, but spins
        raise Mistake("busy-wait", f"While it waited, your code kept the event loop's thread busy: "
                      f"{trial.cpu:.2f} s of CPU in {trial.elapsed:.2f} s. Checking the clock in a "
                      "loop (even with `await asyncio.sleep(0)` in it, which lets other tasks run) "
                      "spins a CPU core the whole time.", f"next to no CPU while waiting (under "
                      f"{SPINNING_SHARE * trial.elapsed:.2f} s)", "Sleep until the next check is due: "
                      "`await asyncio.sleep(interval)` hands the waiting to the event loop.")
    _with_ticks(trial, checks.no_blocking)
    ticker_kept_ticking(trial)


@pytest.mark.points(2)
def test_load_profile_returns_what_lookup_returns(profiles: Trial) -> None:
    """load_profile(user_id, lookup) returns lookup(user_id)"""
    lookup = profiles.service("lookup")
    assert isinstance(lookup, blocking.BlockingService)
    if profiles.error is not None:  # e.g. to_thread(lookup(user_id)): explain the call on the loop
        checks.ran_off_loop(profiles, lookup)
    checks.finished(profiles)
    checks.all_awaited(profiles)
    checks.result_equals(profiles, [lookup.expected(user) for user in USERS],
                         f"what gather returned for load_profile on {USERS}")


@pytest.mark.points(3)
def test_lookups_run_in_worker_threads(profiles: Trial) -> None:
    """lookup runs in worker threads: the loop stays free and two lookups overlap (about 1 s, not 2)"""
    lookup = profiles.service("lookup")
    assert isinstance(lookup, blocking.BlockingService)
    _with_ticks(profiles, lambda trial: checks.ran_off_loop(trial, lookup))
    checks.finished(profiles)
    _with_ticks(profiles, checks.no_blocking)
    checks.all_awaited(profiles)
    ticker_kept_ticking(profiles)
    checks.concurrent(profiles, lookup, at_least=len(USERS))
    checks.within(profiles, band(LOOKUP, 2 * LOOKUP), slow_code="sequential",
                  what=f"Loading {len(USERS)} profiles at once")


def _with_ticks(trial: Trial, check: Callable[[Trial], None]) -> None:
    """Run a check; if it fails, add what the ticker saw: the other task the learner's code stopped."""
    try:
        check(trial)
    except Mistake as mistake:
        raise Mistake(mistake.code, mistake.happened, mistake.expected, mistake.next_step,
                      details="\n\n".join(filter(None, [_ticks(trial), mistake.details]))) from None


def ticker_kept_ticking(trial: Trial) -> None:
    """The ticker beside the learner's code ticked on time: its ticks are stamped by the witness,
    so a loop frozen in any way (a sleep, a blocking call, a wait on some other selector) shows as
    a late tick, less the time the machine itself kept the loop's thread off a CPU."""
    times = [0.0, *(t.at for t in trial.recorder("tick").events), trial.elapsed]
    tick = scaled(TICK)
    late = max((b - a - tick - trial.waited(a, b), a) for a, b in itertools.pairwise(times))
    if late[0] > LATE_TICK:
        raise Mistake("blocking-call", f"The ticker task running beside your code was due every "
                      f"{tick:.2f} s, but around {late[1]:.2f} s it ticked {late[0]:.2f} s late: the "
                      "event loop could not run it, so your code was holding the loop's thread "
                      "without awaiting.", f"every tick within {LATE_TICK:.2f} s of its time",
                      details=_ticks(trial))


def _longest_gap(trial: Trial) -> float:
    times = [0.0, *(t.at for t in trial.recorder("tick").events), trial.elapsed]
    return max(b - a for a, b in itertools.pairwise(times))


def _ticks(trial: Trial) -> str:
    ticks = trial.recorder("tick").events
    due = int(trial.elapsed / scaled(TICK))
    gap = _longest_gap(trial)
    return (f"Ticker (a task that ticks every {scaled(TICK):.2f} s beside your code): {len(ticks)} "
            f"tick(s) in {trial.elapsed:.2f} s, where about {due} were due; the longest it went "
            f"without ticking was {gap:.2f} s.")
