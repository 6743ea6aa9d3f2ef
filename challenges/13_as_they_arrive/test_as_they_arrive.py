"""Challenge 13: report each body through a callback as soon as its fetch completes.

The fake `fetch` records when each call ended and the `report` recorder when each body was
reported, on the same clock; so "as soon as it arrives" is read from the order of events (each
body reported before the next one arrived), not from a timing tolerance.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from grader.testkit import Trial, band, checks, require, run_trial
from grader.testkit import ordering as order

# Listed in one order, finishing in another (b, then c, then a), so arrival order shows.
LATENCY = {"https://a.example/": 1.0, "https://b.example/": 0.4, "https://c.example/": 0.7}
URLS = list(LATENCY)
IDEAL, SEQUENTIAL = max(LATENCY.values()), sum(LATENCY.values())
START_ALL = ("Start every fetch before waiting for any: create a task for each URL, or hand all the "
             "coroutines to asyncio.as_completed, then take the bodies as they come.")


@pytest.fixture(scope="module")
def trial(solution: ModuleType) -> Trial:
    fetch_and_report = require(solution, "fetch_and_report")
    return run_trial(lambda kit: fetch_and_report(kit.service("fetch", LATENCY), list(URLS),
                                                  kit.recorder("report")),
                     budget=3 * SEQUENTIAL, band=band(IDEAL, SEQUENTIAL))


def every_body_reported(trial: Trial) -> None:
    checks.ran_cleanly(trial)
    fetch = trial.service("fetch")
    order.received_each(trial, trial.recorder("report"), [fetch.expected(url) for url in URLS],
                        "report")


@pytest.mark.points(2)
def test_reports_every_body_once(trial: Trial) -> None:
    """report is called once with the body of every URL"""
    every_body_reported(trial)
    checks.no_leftovers(trial)


@pytest.mark.points(5)
def test_reports_each_body_as_it_arrives(trial: Trial) -> None:
    """each body is reported as soon as its fetch completes, before the next one arrives"""
    every_body_reported(trial)
    order.streamed(trial, trial.recorder("report"), trial.service("fetch"), "report")


@pytest.mark.points(2)
def test_fetches_overlap(trial: Trial) -> None:
    """the three fetches are in flight at the same time"""
    checks.ran_cleanly(trial)
    checks.concurrent(trial, trial.service("fetch"), at_least=len(URLS), next_step=START_ALL)


@pytest.mark.points(1)
def test_finishes_in_about_one_second(trial: Trial) -> None:
    """everything is reported in about one second, the time of the slowest fetch"""
    checks.ran_cleanly(trial)
    checks.within(trial, band(IDEAL, SEQUENTIAL), slow_code="sequential", next_step=START_ALL)
