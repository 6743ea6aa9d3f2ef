"""Challenge 08: fetch ten URLs at once and keep the bodies in the order of the URLs.

The latencies all differ, so the order the fetches finish in (shortest first) is far from the input
order: a list built as bodies arrive is caught by the result check. Overlap is proven by the peak
number of fetches in flight; the wall clock is then checked against the band (the slowest fetch,
not the sum of all ten).
"""

from __future__ import annotations

from types import ModuleType

import pytest

from grader.testkit import FakeService, Mistake, Trial, band, checks, require, run_trial

LATENCY = {
    "https://news.example": 0.3, "https://weather.example": 0.15, "https://maps.example": 0.6,
    "https://mail.example": 0.2, "https://shop.example": 0.45, "https://wiki.example": 0.1,
    "https://video.example": 0.35, "https://music.example": 0.5, "https://books.example": 0.25,
    "https://games.example": 0.4,
}
URLS = list(LATENCY)
IDEAL, SEQUENTIAL = max(LATENCY.values()), sum(LATENCY.values())  # 0.6 s against 3.3 s
SOLO = "https://solo.example"


@pytest.fixture(scope="module")
def trial(solution: ModuleType) -> Trial:
    fetch_all = require(solution, "fetch_all")
    return run_trial(lambda kit: fetch_all(kit.service("fetch", LATENCY), list(URLS)),
                     budget=2 * SEQUENTIAL, band=band(IDEAL, SEQUENTIAL))


@pytest.mark.points(3)
def test_returns_every_body_in_order(trial: Trial) -> None:
    """fetch_all returns the ten bodies in the order of urls"""
    checks.ran_cleanly(trial)
    fetch = trial.service("fetch")
    if fetch.called != len(URLS):
        raise Mistake("wrong-result", f"fetch was called {fetch.called} times for {len(URLS)} URLs.",
                      "one fetch per URL")
    _same_order_as_urls(trial, fetch)
    checks.result_equals(trial, [fetch.expected(url) for url in URLS], "the list fetch_all returned")


@pytest.mark.points(1)
def test_handles_no_urls_and_one_url(solution: ModuleType) -> None:
    """an empty list gives an empty list, and one URL gives its one body"""
    fetch_all = require(solution, "fetch_all")
    empty = run_trial(lambda kit: fetch_all(kit.service("fetch", 0.1), []), budget=2)
    _ran_cleanly(empty, "fetch_all(fetch, [])")
    checks.result_equals(empty, [], "the result for an empty list of URLs")
    solo = run_trial(lambda kit: fetch_all(kit.service("fetch", 0.1), [SOLO]), budget=2)
    _ran_cleanly(solo, f"fetch_all(fetch, [{SOLO!r}])")
    checks.result_equals(solo, [solo.service("fetch").expected(SOLO)], "the result for one URL")


@pytest.mark.points(3)
def test_fetches_overlap(trial: Trial) -> None:
    """all ten fetches are in flight at the same time"""
    checks.ran_cleanly(trial)
    checks.concurrent(trial, trial.service("fetch"), at_least=len(URLS))


@pytest.mark.points(3)
def test_takes_as_long_as_the_slowest_fetch(trial: Trial) -> None:
    """the whole run takes about as long as the slowest fetch (0.6 s), not the sum (3.3 s)"""
    checks.ran_cleanly(trial)
    checks.within(trial, band(IDEAL, SEQUENTIAL), slow_code="sequential")


def _ran_cleanly(trial: Trial, call: str) -> None:
    """checks.ran_cleanly, with the call that went wrong named (these inputs are not the main ten)."""
    try:
        checks.ran_cleanly(trial)
    except Mistake as mistake:
        happened = mistake.happened[:1].lower() + mistake.happened[1:]
        raise Mistake(mistake.code, f"For {call}, {happened}", mistake.expected,
                      mistake.next_step, mistake.details) from None


def _same_order_as_urls(trial: Trial, fetch: FakeService) -> None:
    """The ten bodies in another order: name the order by site, and say if it is arrival order."""
    site = {fetch.expected(url): url.split("//")[1].split(".")[0] for url in URLS}
    result = trial.result
    if not isinstance(result, list | tuple) or not all(isinstance(b, str) for b in result) \
            or sorted(result) != sorted(site):
        return  # not a reordering: result_equals explains it
    got = [site[body] for body in result]
    wanted = [site[fetch.expected(url)] for url in URLS]
    if got == wanted:
        return
    arrival = [site[fetch.expected(c.arg)] for c in sorted(fetch.calls, key=lambda c: c.ended_at or 0)]
    why = " That is the order the fetches finished in." if got == arrival else ""
    raise Mistake("wrong-order", f"The list held all ten bodies, but in this order: {', '.join(got)}.{why}",
                  f"the order of urls: {', '.join(wanted)}")
