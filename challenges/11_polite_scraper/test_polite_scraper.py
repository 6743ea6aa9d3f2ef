"""Challenge 11: twenty pages, never more than five in flight, each free slot refilled at once.

Durations vary (a few 0.7-0.8 s pages among 0.1-0.2 s ones) so that the shapes differ a lot:
a sliding window (shared semaphore, pool of workers) takes 1.25 s, fixed batches of five 3.0 s,
everything at once 0.8 s but with twenty in flight. The graded proofs are deterministic: the peak
in flight, and the start times (the k-th fetch to start must start when the (k-5)-th one ends,
not when its batch is done); the wall clock is then checked against the band.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from grader.testkit import FakeService, Mistake, Trial, band, checks, lifecycle, require, run_trial

# A long page opens each group of five, so a batch always waits for it while its four short
# pages are long done; a sliding window fits the short pages around the long ones.
_DURATIONS = [0.8, 0.1, 0.15, 0.2, 0.1, 0.7, 0.2, 0.1, 0.15, 0.1,
              0.8, 0.15, 0.1, 0.1, 0.2, 0.7, 0.1, 0.2, 0.15, 0.1]
LATENCY = {f"https://blog.example/{n}": seconds for n, seconds in enumerate(_DURATIONS, start=1)}
URLS = list(LATENCY)
LIMIT = 5
SLIDING, BATCHES, SEQUENTIAL = 1.25, 3.0, sum(_DURATIONS)  # greedy window; sum of each batch's max

# limit=3 on seven pages: the limit must come from the argument, not be written into the code.
SMALL = dict(zip([f"https://wiki.example/{c}" for c in "abcdefg"], [0.3, 0.1, 0.2, 0.2, 0.1, 0.3, 0.1],
                 strict=True))


@pytest.fixture(scope="module")
def trial(solution: ModuleType) -> Trial:
    scrape = require(solution, "scrape")
    return run_trial(lambda kit: scrape(kit.service("fetch", LATENCY), list(URLS)),
                     budget=2 * SEQUENTIAL, band=band(SLIDING, BATCHES))


@pytest.mark.points(2)
def test_returns_every_page_in_order(trial: Trial) -> None:
    """scrape returns all twenty pages, in the order of urls"""
    checks.ran_cleanly(trial)
    pages_in_order(trial, trial.service("fetch"), URLS)


@pytest.mark.points(2)
def test_never_more_than_five_in_flight(trial: Trial) -> None:
    """no more than five fetches are ever in flight at once"""
    checks.ran_cleanly(trial)
    checks.at_most_in_flight(trial, trial.service("fetch"), LIMIT)


@pytest.mark.points(2)
def test_a_free_slot_is_refilled_at_once(trial: Trial) -> None:
    """five fetches run side by side, and a new one starts as soon as any of them ends"""
    checks.ran_cleanly(trial)
    fetch = trial.service("fetch")
    checks.at_most_in_flight(trial, fetch, LIMIT)
    checks.concurrent(trial, fetch, at_least=LIMIT)
    lifecycle.refills_promptly(trial, fetch, LIMIT)


@pytest.mark.points(2)
def test_takes_about_the_sliding_window_time(trial: Trial) -> None:
    """twenty pages take about 1.25 s, not the 3.0 s of fixed batches"""
    checks.ran_cleanly(trial)
    fetch = trial.service("fetch")
    checks.at_most_in_flight(trial, fetch, LIMIT)  # faster by breaking the limit does not count
    checks.concurrent(trial, fetch, at_least=LIMIT)
    checks.within(trial, band(SLIDING, BATCHES, wrong_label="batches of five"), slow_code="batched")


@pytest.mark.points(2)
def test_uses_the_limit_it_is_given(solution: ModuleType) -> None:
    """with limit=3, seven pages come back in order with exactly three in flight at a time"""
    scrape = require(solution, "scrape")
    small = run_trial(lambda kit: scrape(kit.service("fetch", SMALL), list(SMALL), limit=3), budget=4)
    checks.ran_cleanly(small)
    fetch = small.service("fetch")
    try:
        checks.at_most_in_flight(small, fetch, 3)
        checks.concurrent(small, fetch, at_least=3)
    except Mistake as mistake:
        happened = mistake.happened[:1].lower() + mistake.happened[1:]
        raise Mistake(mistake.code, f"With limit=3, {happened}", mistake.expected,
                      mistake.next_step, mistake.details) from None
    pages_in_order(small, fetch, list(SMALL))


def pages_in_order(trial: Trial, fetch: FakeService, urls: list[str]) -> None:
    """The pages in another order: say so by page name, and whether it is the order they finished."""
    if fetch.called != len(urls):
        raise Mistake("wrong-result", f"fetch was called {fetch.called} times for {len(urls)} URLs.",
                      "one fetch per URL")
    name = {fetch.expected(url): url.rsplit("/", 1)[1] for url in urls}
    result = trial.result
    reordered = (isinstance(result, list | tuple) and all(isinstance(page, str) for page in result)
                 and sorted(result) == sorted(name))
    if reordered:
        got, wanted = [name[page] for page in result], [name[fetch.expected(url)] for url in urls]
        finished = [c.arg.rsplit("/", 1)[1] for c in sorted(fetch.calls, key=lambda c: c.ended_at or 0)]
        why = " That is the order they finished in." if got == finished else ""
        if got != wanted:
            raise Mistake("wrong-order", f"You returned every page, but in this order: {', '.join(got)}."
                          f"{why}", f"the order of urls: {', '.join(wanted)}")
    checks.result_equals(trial, [fetch.expected(url) for url in urls], "the list scrape returned")
