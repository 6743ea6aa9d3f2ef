"""The lifecycle checks on their own: what became of each call by the time the function returned."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from grader.testkit import Attempt, Mistake, Trial, lifecycle, run_trial

URLS = ["a", "b", "c"]
LATENCY = {"a": 0.02, "b": 0.01, "c": 0.06, "slow": 1.0}


def trial_of(body: Callable[[Any], Awaitable[Any]], *, fails: bool = True) -> Trial:
    def scenario(kit: Attempt) -> Awaitable[Any]:
        errors = {"b": ConnectionError("refused")} if fails else None
        return body(kit.service("fetch", LATENCY, fails=errors))

    return run_trial(scenario, budget=2)


def code_of(check: Callable[[], None]) -> str | None:
    try:
        check()
    except Mistake as mistake:
        return mistake.code
    return None


async def keep_all(fetch: Any) -> list[Any]:
    return list(await asyncio.gather(*(fetch(u) for u in URLS), return_exceptions=True))


async def plain_gather(fetch: Any) -> list[Any]:
    return list(await asyncio.gather(*(fetch(u) for u in URLS)))


async def task_group(fetch: Any) -> list[Any]:
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch(u)) for u in URLS]
    return [t.result() for t in tasks]


async def wrapped(fetch: Any) -> list[Any]:
    try:
        return await plain_gather(fetch)
    except ConnectionError as exc:
        raise RuntimeError("fetching failed") from exc


@pytest.mark.parametrize(("body", "code"), [(keep_all, None), (plain_gather, "lost-results"),
                                            (task_group, "lost-results"), (wrapped, "lost-results")])
def test_failures_kept_finds_a_service_error_however_it_escaped(body: Any, code: str | None) -> None:
    trial = trial_of(body)
    assert code_of(lambda: lifecycle.failures_kept(trial)) == code


def test_failures_kept_ignores_errors_of_the_learners_own() -> None:
    async def own(fetch: Any) -> None:
        await fetch("a")
        raise ValueError("mine")

    trial = trial_of(own)
    assert code_of(lambda: lifecycle.failures_kept(trial)) is None


def test_ran_to_completion_flags_cancelled_and_abandoned_calls() -> None:
    async def cancel_rest(fetch: Any) -> None:
        tasks = [asyncio.ensure_future(fetch(u)) for u in URLS]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for t in tasks:
            t.cancel()
        await asyncio.wait(tasks)

    async def abandon(fetch: Any) -> None:
        tasks = [asyncio.ensure_future(fetch(u)) for u in URLS]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)

    assert code_of(lambda: lifecycle.ran_to_completion(trial_of(keep_all))) is None
    assert code_of(lambda: lifecycle.ran_to_completion(trial_of(cancel_rest))) == "lost-results"
    assert code_of(lambda: lifecycle.ran_to_completion(trial_of(abandon))) == "lost-results"


def test_settled_on_return_tells_cancelled_from_abandoned() -> None:
    async def cancel_and_await(fetch: Any) -> None:
        task = asyncio.ensure_future(fetch("slow"))
        await asyncio.wait({task}, timeout=0.01)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def cancel_without_await(fetch: Any) -> None:
        task = asyncio.ensure_future(fetch("slow"))
        await asyncio.wait({task}, timeout=0.01)
        task.cancel()  # only asks: the task is still stopping when the function returns

    async def walk_away(fetch: Any) -> None:
        await asyncio.wait({asyncio.ensure_future(fetch("slow"))}, timeout=0.01)

    kept = trial_of(cancel_and_await, fails=False)
    assert code_of(lambda: lifecycle.settled_on_return(kept)) is None
    assert kept.service("fetch").calls[0].outcome == "cancelled"
    asked = trial_of(cancel_without_await, fails=False)
    assert code_of(lambda: lifecycle.settled_on_return(asked)) == "cancel-not-awaited"
    leaked = trial_of(walk_away, fails=False)
    assert code_of(lambda: lifecycle.settled_on_return(leaked)) == "leaked-task"
    # The trial cancels the leftover afterwards, so "cancelled" alone would not have told them apart.
    assert leaked.service("fetch").calls[0].outcome == "cancelled"


PAGES = {f"p{i}": d for i, d in enumerate([0.5, 0.05, 0.05, 0.5, 0.05, 0.05])}


def test_refills_promptly_accepts_a_semaphore_and_rejects_batches() -> None:
    async def semaphore(fetch: Any) -> None:
        sem = asyncio.Semaphore(2)

        async def one(url: str) -> Any:
            async with sem:
                return await fetch(url)

        await asyncio.gather(*(one(u) for u in PAGES))

    async def batches(fetch: Any) -> None:
        urls = list(PAGES)
        for i in range(0, len(urls), 2):
            await asyncio.gather(*(fetch(u) for u in urls[i:i + 2]))

    def run(body: Callable[[Any], Awaitable[Any]]) -> Trial:
        return run_trial(lambda kit: body(kit.service("fetch", PAGES)), budget=3)

    flowing, batched = run(semaphore), run(batches)
    assert code_of(lambda: lifecycle.refills_promptly(flowing, flowing.service("fetch"), 2)) is None
    assert code_of(lambda: lifecycle.refills_promptly(batched, batched.service("fetch"), 2)) == "batched"
