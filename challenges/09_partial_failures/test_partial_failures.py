"""Challenge 09: fetch eight URLs at once, three of which fail; keep every body and every error.

Each attempt builds fresh exception instances, so an item can be checked for being *the* exception
fetch raised (identity), which a copy, None or a message cannot fake. The lifecycle checks read
each call's record: an error that escaped the function (plain gather, a TaskGroup) is lost-results,
and so is a fetch cancelled before its end. Overlap is proven by the peak in flight. A cancellation
from outside (a caller's timeout) must still stop fetch_all: that is tried for real, and the file is
read for handlers that would swallow one (the README's rule: catch Exception, not BaseException).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import ModuleType

import pytest

from grader.testkit import (
    FakeService,
    Mistake,
    Trial,
    band,
    checks,
    lifecycle,
    render_timeline,
    require,
    run_trial,
    scaled,
    source,
)

LATENCY = {
    "https://users.example": 0.4, "https://orders.example": 0.15,
    "https://stock.example": 0.6, "https://prices.example": 0.3,
    "https://reviews.example": 0.5, "https://cart.example": 0.2,
    "https://saved.example": 0.35, "https://ads.example": 0.25,
}
URLS = list(LATENCY)
IDEAL, SEQUENTIAL = max(LATENCY.values()), sum(LATENCY.values())  # 0.6 s against 2.75 s
CUT = 0.3  # seconds: the caller's timeout in the cancellation scenario, before any slow fetch ends


def fresh_errors() -> dict[str, Exception]:
    """New instances for every attempt, so each result can be matched by identity."""
    return {"https://orders.example": ConnectionRefusedError("connection refused"),
            "https://reviews.example": TimeoutError("read timed out"),
            "https://ads.example": PermissionError("403 Forbidden")}


@pytest.fixture(scope="module")
def trial(solution: ModuleType) -> Trial:
    fetch_all = require(solution, "fetch_all")
    return run_trial(lambda kit: fetch_all(kit.service("fetch", LATENCY, fails=fresh_errors()), list(URLS)),
                     budget=2 * SEQUENTIAL, band=band(IDEAL, SEQUENTIAL))


@pytest.fixture(scope="module")
def interrupted(solution: ModuleType) -> Trial:
    fetch_all = require(solution, "fetch_all")
    return run_trial(lambda kit: asyncio.wait_for(
        fetch_all(kit.service("fetch", LATENCY, fails=fresh_errors()), list(URLS)), scaled(CUT)),
        budget=2 * SEQUENTIAL)


def returned(trial: Trial) -> None:
    """First of every test: no fetch error escaped (lost-results), then the usual clean run."""
    lifecycle.failures_kept(trial)
    checks.ran_cleanly(trial)


@pytest.mark.points(3)
def test_returns_every_body_and_every_error_in_order(trial: Trial) -> None:
    """one item per URL in input order: the body, or the very exception fetch raised"""
    returned(trial)
    fetch = trial.service("fetch")
    every_outcome_kept(trial, fetch)
    in_order_of_urls(trial, fetch)
    checks.result_equals(trial, [fetch.failure(url) or fetch.expected(url) for url in URLS],
                         "the list fetch_all returned")


@pytest.mark.points(2)
def test_every_fetch_runs_to_its_end(trial: Trial) -> None:
    """a failure cancels nothing: all eight fetches run to their end"""
    returned(trial)
    lifecycle.ran_to_completion(trial, trial.service("fetch"))


@pytest.mark.points(1)
def test_a_cancellation_still_stops_it(interrupted: Trial, solution: ModuleType) -> None:
    """a caller's timeout still stops fetch_all: it catches Exception, never the cancellation"""
    checks.no_blocking(interrupted)
    cut = scaled(CUT)
    # Returning before the cut is not this test's business; after it, fetch_all should have raised.
    went_on = interrupted.timed_out or interrupted.elapsed > cut + 0.25 or (
        interrupted.error is None and interrupted.elapsed >= cut)
    if went_on:
        raise Mistake("swallowed-error", f"A caller gave fetch_all {cut:.2f} s (asyncio.wait_for) and "
                      f"then cancelled it, but fetch_all went on: it "
                      f"{'returned' if interrupted.error is None else 'ended'} only at "
                      f"{interrupted.elapsed:.2f} s. Somewhere the CancelledError was caught and "
                      "not raised again.", f"fetch_all to stop within a moment of {cut:.2f} s",
                      "Catch `Exception` (which CancelledError is not), never `BaseException` or "
                      "a bare `except:`.", details=render_timeline(interrupted.services,
                                                                    until=interrupted.elapsed))
    swallowing = source.swallowed_cancellation(Path(solution.__file__ or ""))
    if swallowing:
        handler = swallowing[0]
        raise Mistake("swallowed-error", f"Line {handler.line} of your file, `{handler.code}`, catches "
                      f"{handler.caught} and does not raise it again: that includes the "
                      "CancelledError a cancellation delivers, so whatever runs there could never be "
                      "stopped by its caller (here it happened to be stopped anyway).",
                      "only `except Exception` around a fetch",
                      "Catch `Exception`: a failed fetch raises one, a cancellation does not.")


@pytest.mark.points(2)
def test_fetches_overlap(trial: Trial) -> None:
    """all eight fetches are in flight at the same time"""
    returned(trial)
    checks.concurrent(trial, trial.service("fetch"), at_least=len(URLS))


@pytest.mark.points(2)
def test_takes_as_long_as_the_slowest_fetch(trial: Trial) -> None:
    """the whole run takes about as long as the slowest fetch (0.6 s), not the sum (2.75 s)"""
    returned(trial)
    lifecycle.ran_to_completion(trial, trial.service("fetch"))  # cutting fetches short is not faster
    checks.within(trial, band(IDEAL, SEQUENTIAL), slow_code="sequential")


def every_outcome_kept(trial: Trial, fetch: FakeService) -> None:
    """Name the usual ways an error gets lost on the way into the list: dropped, None, a copy, text."""
    if fetch.called != len(URLS):
        raise Mistake("wrong-result", f"fetch was called {fetch.called} times for {len(URLS)} URLs.",
                      "one fetch per URL")
    result = trial.result
    if not isinstance(result, list | tuple):
        return  # result_equals says what came back instead
    bodies = sum(fetch.failure(url) is None for url in URLS)
    if len(result) != len(URLS):
        dropped = " (one per fetch that worked: were the errors left out?)" if len(result) == bodies else ""
        raise Mistake("wrong-result", f"fetch_all returned {len(result)} items for {len(URLS)} "
                      f"URLs{dropped}.", "one item per URL, in the order of urls: the body, or the "
                      "exception raised for it")
    for position, (url, item) in enumerate(zip(URLS, result, strict=True)):
        calls = [c for c in fetch.calls if c.arg == url]
        if calls and all(c.outcome == "cancelled" for c in calls):
            raise Mistake("lost-results", f"Item {position} (for {url}) is {item!r}: that fetch was "
                          f"cancelled at {calls[-1].ended_at or 0:.2f} s, before it could finish.",
                          "every fetch left to run to its end, its body or its error kept")
        error = fetch.failure(url)
        if error is None or item is error:
            continue
        raised = [c.error for c in fetch.calls if c.error is not None]
        what = "" if any(item is e for e in raised) else _instead(item, error)  # misplaced: an order issue
        if what:
            raise Mistake("wrong-result", f"Item {position} (for {url}) is {what}, but fetch raised "
                          f"{error!r} for that URL.", f"that very exception object in its place: {error!r}",
                          "Keep the exception fetch raised as the item: gather(..., return_exceptions=True) "
                          "does it, or `except Exception as exc: return exc` in a wrapper.")


def in_order_of_urls(trial: Trial, fetch: FakeService) -> None:
    """Every outcome, but in another order: name the order by site, and say if it is arrival order."""
    outcome = {url: fetch.failure(url) or fetch.expected(url) for url in URLS}
    result = trial.result
    if not isinstance(result, list | tuple) or len(result) != len(URLS):
        return
    sites = [next((url for url, o in outcome.items() if o is item or o == item), None) for item in result]
    if None in sites or sorted(map(str, sites)) != sorted(URLS) or sites == URLS:
        return  # not a reordering of the right outcomes: result_equals explains it

    def name(url: str | None) -> str:
        site = str(url).split("//")[1].split(".")[0]
        return f"{site} (error)" if fetch.failure(url) is not None else site

    arrival = [c.arg for c in sorted(fetch.calls, key=lambda c: c.ended_at or 0)]
    why = " That is the order the fetches finished in." if sites == arrival else ""
    raise Mistake("wrong-order", f"The list held every outcome, but in this order: "
                  f"{', '.join(map(name, sites))}.{why}", f"the order of urls: {', '.join(map(name, URLS))}")


def _instead(item: object, error: Exception) -> str:
    """How item differs from the error it should be, or '' if it is something else entirely."""
    if item is None:
        return "None"
    if isinstance(item, BaseException) and type(item) is type(error):
        return f"a new {type(item).__name__}, not the one fetch raised"
    if isinstance(item, BaseException):
        return f"a {type(item).__name__} ({item!r}) in place of the original error"
    if isinstance(item, str) and error.args and item in (str(error), repr(error)):
        return f"the error's text ({item!r}), not the exception"
    return ""
