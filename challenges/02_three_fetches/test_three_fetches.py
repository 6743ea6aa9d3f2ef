"""Challenge 02: make three fetches finish in about one second.

The fake `fetch` records every call, so these tests know whether the fetches overlapped (peak in
flight) independently of the wall clock; the clock is then checked against a tolerance band.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from grader.testkit import Trial, band, checks, require, run_trial

LATENCY = {"https://a.example/": 1.0, "https://b.example/": 0.8, "https://c.example/": 0.9}
URLS = list(LATENCY)
IDEAL, SEQUENTIAL = max(LATENCY.values()), sum(LATENCY.values())


@pytest.fixture(scope="module")
def trial(solution: ModuleType) -> Trial:
    fetch_all = require(solution, "fetch_all")
    return run_trial(lambda kit: fetch_all(kit.service("fetch", LATENCY), list(URLS)),
                     budget=3 * SEQUENTIAL, band=band(IDEAL, SEQUENTIAL))


@pytest.mark.points(4)
def test_returns_every_body_in_order(trial: Trial) -> None:
    """fetch_all returns every body, in the order of urls"""
    checks.ran_cleanly(trial)
    fetch = trial.service("fetch")
    checks.result_equals(trial, [fetch.expected(url) for url in URLS], "the list fetch_all returned")


@pytest.mark.points(3)
def test_fetches_overlap(trial: Trial) -> None:
    """the three fetches are in flight at the same time"""
    checks.ran_cleanly(trial)
    checks.concurrent(trial, trial.service("fetch"), at_least=len(URLS))


@pytest.mark.points(3)
def test_finishes_in_about_one_second(trial: Trial) -> None:
    """all three finish in about one second, not three"""
    checks.ran_cleanly(trial)
    checks.within(trial, band(IDEAL, SEQUENTIAL), slow_code="sequential")
