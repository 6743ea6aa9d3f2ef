"""Challenge 05: await the two lookups, and let them overlap.

The fake services record called vs entered: a coroutine that is never awaited shows as called 1,
entered 0, whatever the page looks like. Overlap is read from the two calls' start and end times;
the wall clock is then checked against a tolerance band.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from grader.testkit import FakeService, Mistake, Trial, band, checks, render_timeline, require, run_trial

USER_ID = 42
LATENCY = 1.0  # each lookup, in task seconds
IDEAL, SEQUENTIAL = LATENCY, 2 * LATENCY


@pytest.fixture(scope="module")
def trial(solution: ModuleType) -> Trial:
    profile_page = require(solution, "profile_page")
    return run_trial(lambda kit: profile_page(kit.service("get_user", LATENCY),
                                              kit.service("get_posts", LATENCY), USER_ID),
                     budget=3 * SEQUENTIAL, band=band(IDEAL, SEQUENTIAL))


def _page(trial: Trial) -> str:
    """What render_page(user, posts) gives for this run's answers (the README's format)."""
    user, posts = trial.service("get_user"), trial.service("get_posts")
    return f"== {user.expected(USER_ID)} ==\n{posts.expected(USER_ID)}"


def _overlapped(trial: Trial, first: FakeService, second: FakeService) -> None:
    """Both lookups were in flight at the same moment: each started before the other ended."""
    for svc in (first, second):
        if not svc.calls:
            raise Mistake("wrong-result", f"{svc.name}() was never called.",
                          f"one call of {svc.name}(user_id), its answer on the page")
    a, b = first.calls[0], second.calls[0]
    assert a.started_at is not None and b.started_at is not None  # all_awaited checked it
    a_end = a.ended_at if a.ended_at is not None else trial.elapsed
    b_end = b.ended_at if b.ended_at is not None else trial.elapsed
    if a.started_at < b_end and b.started_at < a_end:
        return
    early, late = (a, b) if a.started_at <= b.started_at else (b, a)
    names = {id(a): first.name, id(b): second.name}
    raise Mistake("sequential", f"{names[id(late)]}() started at {late.started_at:.2f} s, only after "
                  f"{names[id(early)]}() had finished at {early.ended_at or 0:.2f} s: the two lookups "
                  f"ran one after another, {trial.elapsed:.2f} s in all.",
                  "both lookups in flight at the same time (neither needs the other's answer)",
                  details=render_timeline(trial.services, until=trial.elapsed))


@pytest.mark.points(4)
def test_page_shows_the_user_and_the_posts(trial: Trial) -> None:
    """the page shows the user's name and posts, not coroutine objects"""
    checks.ran_cleanly(trial)
    checks.result_equals(trial, _page(trial), "the page profile_page returned")


@pytest.mark.points(3)
def test_the_two_lookups_overlap(trial: Trial) -> None:
    """get_user and get_posts are in flight at the same time"""
    checks.ran_cleanly(trial)
    _overlapped(trial, trial.service("get_user"), trial.service("get_posts"))


@pytest.mark.points(3)
def test_finishes_in_about_one_second(trial: Trial) -> None:
    """the page is ready in about one second, not two"""
    checks.ran_cleanly(trial)
    checks.within(trial, band(IDEAL, SEQUENTIAL), slow_code="sequential")
