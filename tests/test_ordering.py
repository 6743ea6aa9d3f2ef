"""The ordering checks on their own: who was asked when, what had stopped on return, streaming.

Each runs a tiny scenario through run_trial (real loop, short latencies) and checks the verdict,
including the case that is now a named mistake: cancel() without awaiting the cancelled task.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from grader.testkit import Attempt, Mistake, Trial, run_trial
from grader.testkit import ordering as order


def race(kit: Attempt, style: str) -> Any:
    fast, slow = kit.service("fast", 0.1), kit.service("slow", 0.6)

    async def go() -> str:
        tasks = [asyncio.create_task(fast("x")), asyncio.create_task(slow("x"))]
        if style == "wait-all":
            return (await asyncio.gather(*tasks))[0]
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending if style != "leave" else ():
            task.cancel()
        if style == "cancel-and-await":
            await asyncio.gather(*pending, return_exceptions=True)
        return done.pop().result()
    return go()


def losers(trial: Trial) -> None:
    order.stopped_on_return(trial, order.calls_of(trial.service("slow")), code="not-cancelled",
                            finished_code="waited-for-all", function="race")


def test_a_cancelled_and_awaited_loser_passes() -> None:
    trial = run_trial(lambda kit: race(kit, "cancel-and-await"), budget=3)
    losers(trial)
    assert trial.service("slow").cancelled == 1


def test_a_loser_cancelled_but_not_awaited_is_named() -> None:
    trial = run_trial(lambda kit: race(kit, "cancel-only"), budget=3)
    with pytest.raises(Mistake) as caught:
        losers(trial)
    assert caught.value.code == "cancel-not-awaited"
    assert "without waiting for the cancellation to finish" in caught.value.happened


def test_a_loser_left_running_is_not_cancelled_though_the_sweep_stops_it() -> None:
    trial = run_trial(lambda kit: race(kit, "leave"), budget=3)
    with pytest.raises(Mistake) as caught:
        losers(trial)
    assert caught.value.code == "not-cancelled"
    assert trial.service("slow").cancelled == 1  # by the trial's sweep, which must not count
    assert "so the grader did" in caught.value.happened


def test_a_loser_waited_for_is_the_finished_code() -> None:
    trial = run_trial(lambda kit: race(kit, "wait-all"), budget=3)
    with pytest.raises(Mistake) as caught:
        losers(trial)
    assert caught.value.code == "waited-for-all"


def test_asked_together_names_the_service_never_asked() -> None:
    def one_by_one(kit: Attempt) -> Any:
        a, b = kit.service("a", 0.1), kit.service("b", 0.1)
        kit.service("c", 0.1)

        async def go() -> None:
            await a("x")
            await b("x")
        return go()

    trial = run_trial(one_by_one, budget=3)
    with pytest.raises(Mistake) as caught:
        order.asked_together(trial, trial.services, "mirrors")
    assert caught.value.code == "sequential"
    assert "b at" in caught.value.happened and "never asked c" in caught.value.happened


@pytest.mark.parametrize(("streaming", "code"), [(True, None), (False, "not-streaming")])
def test_streamed_wants_each_result_before_the_next_arrives(streaming: bool, code: str | None) -> None:
    def scenario(kit: Attempt) -> Any:
        fetch, report = kit.service("fetch", {"a": 0.4, "b": 0.1}), kit.recorder("report")

        async def go() -> None:
            if streaming:
                for next_body in asyncio.as_completed([fetch("a"), fetch("b")]):
                    report(await next_body)
            else:
                for body in await asyncio.gather(fetch("a"), fetch("b")):
                    report(body)
        return go()

    trial = run_trial(scenario, budget=3)
    fetch, report = trial.service("fetch"), trial.recorder("report")
    order.received_each(trial, report, [fetch.expected("a"), fetch.expected("b")], "report")
    if code is None:
        order.streamed(trial, report, fetch)
        return
    with pytest.raises(Mistake) as caught:
        order.streamed(trial, report, fetch)
    assert caught.value.code == code


def test_leaves_and_carries_see_into_groups_and_causes() -> None:
    inner = ValueError("inner")
    group = ExceptionGroup("outer", [ExceptionGroup("mid", [inner]), KeyError("k")])
    assert inner in order.leaves(group) and len(order.leaves(group)) == 2
    try:
        raise RuntimeError("wrapped") from inner
    except RuntimeError as wrapped:
        assert order.carries(wrapped, inner) and inner not in order.leaves(wrapped)
    assert not order.carries(None, inner)
