"""Challenge 06: await instead of starting a second event loop.

Three requests are handled at once on one loop, as the server would. asyncio.run (or
run_until_complete) inside it raises a fixed RuntimeError, which the testkit names `nested-run`;
a loop started in a worker thread does not raise, so the fake service records which thread ran
each fetch, and the heartbeat shows whether the server's loop was frozen meanwhile.
"""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import pytest

from grader.testkit import Mistake, Trial, band, checks, render_timeline, require, run_trial

LATENCY = {"/": 1.0, "/about": 0.8, "/blog": 0.9}  # task seconds per page
PATHS = list(LATENCY)
IDEAL, ONE_AT_A_TIME = max(LATENCY.values()), sum(LATENCY.values())


async def _serve(handle_request: Any, fetch: Any) -> list[Any]:
    """What the server does: handle every request at once on its one event loop."""
    return list(await asyncio.gather(*(handle_request(fetch, path) for path in PATHS)))


@pytest.fixture(scope="module")
def trial(solution: ModuleType) -> Trial:
    handle_request = require(solution, "handle_request")
    return run_trial(lambda kit: _serve(handle_request, kit.service("fetch", LATENCY)),
                     budget=3 * ONE_AT_A_TIME, band=_band())


def _band() -> Any:
    return band(IDEAL, ONE_AT_A_TIME, wrong_label="one request at a time")


def _on_the_servers_loop(trial: Trial) -> None:
    """Every fetch ran on the server's own loop, not on a second loop in a worker thread."""
    fetch = trial.service("fetch")
    # The kernel saw another thread wait in a selector (a second event loop), or the fetch said it
    # ran off the main thread (thread 0 is the one running the server's loop).
    elsewhere = [c for c in fetch.calls if c.thread not in (None, 0)]
    if (trial.other_loops or trial.threads_started) and not elsewhere:
        elsewhere = [c for c in fetch.calls if c.entered]  # the kernel saw the thread(s) it took
    if not elsewhere:
        return
    if trial.longest_stall > checks.STALL_LIMIT:
        cost = (f" Your coroutine waited for that thread without giving the loop back, so the server "
                f"was frozen for up to {trial.longest_stall:.2f} s at a time and the three requests "
                f"took {trial.elapsed:.2f} s instead of about {_band().ideal:.2f} s.")
    else:
        cost = (" That costs a thread and a whole new event loop per request, and nothing tied to the "
                "server's loop (a connection pool, a lock, a queue) can be used from there.")
    raise Mistake("nested-run", f"{len(elsewhere)} of the {fetch.called} fetch calls ran on a second "
                  f"event loop in another thread (fetch({elsewhere[0].arg!r}), for one).{cost}",
                  "every fetch awaited on the loop that runs handle_request",
                  "Get the page on the loop handle_request already runs on: no asyncio.run, new "
                  "loop or thread is needed, only the way coroutines get every result "
                  "(`grader hint 6`).",
                  details=render_timeline(trial.services, until=trial.elapsed))


def _ran_cleanly(trial: Trial) -> None:
    checks.finished(trial)
    _on_the_servers_loop(trial)
    checks.no_blocking(trial)
    checks.all_awaited(trial)


@pytest.mark.points(4)
def test_responds_with_each_page(trial: Trial) -> None:
    """each request gets a 200 response with its page"""
    _ran_cleanly(trial)
    fetch = trial.service("fetch")
    expected = [{"status": 200, "path": path, "body": fetch.expected(path)} for path in PATHS]
    checks.result_equals(trial, expected, "the list of responses")


@pytest.mark.points(3)
def test_requests_are_served_together(trial: Trial) -> None:
    """the three requests' fetches are in flight at the same time"""
    _ran_cleanly(trial)
    checks.concurrent(trial, trial.service("fetch"), at_least=len(PATHS))


@pytest.mark.points(3)
def test_three_requests_take_about_one_second(trial: Trial) -> None:
    """three requests at once take about one second, not three"""
    _ran_cleanly(trial)
    checks.within(trial, _band(), slow_code="sequential")
