"""The testkit's mechanisms on their own: band, services, trials, heartbeat, tripwire, timeline."""

from __future__ import annotations

import asyncio
import select
import time

import pytest

from grader.testkit import Band, FakeService, Mistake, Verdict, checks, integrity, render_timeline, run_trial


def test_band_follows_the_tolerance_policy() -> None:
    band = Band(ideal=1.0, wrong=3.0)
    assert band.lower == pytest.approx(0.95)
    assert band.upper == pytest.approx(1.25)  # 25 % of ideal beats the 0.15 s floor
    assert Band(ideal=2.0, wrong=3.0).upper == pytest.approx(2.5)  # capped halfway to wrong
    assert Band(ideal=1.0, wrong=3.0, noise=0.1).upper == pytest.approx(2.0)  # noisy machine
    assert [band.verdict(t) for t in (0.5, 1.0, 1.6, 2.9)] == [
        Verdict.TOO_FAST, Verdict.OK, Verdict.GREY, Verdict.SLOW]


def test_fake_service_tells_called_from_entered() -> None:
    fetch = FakeService("fetch", 0.01, scale=1)

    async def forgetful() -> None:
        fetch("a").close()
        await fetch("b")

    asyncio.run(forgetful())
    assert (fetch.called, fetch.entered, fetch.finished, fetch.peak) == (2, 1, 1, 1)


def test_fake_service_results_carry_a_per_run_token() -> None:
    one, two = FakeService(scale=1), FakeService(scale=1)
    assert one.expected("u") != two.expected("u")


def test_fake_service_fails_and_records_cancellation() -> None:
    svc = FakeService("api", {"ok": 0.01, "bad": 0.01, "slow": 5}, fails={"bad": ValueError("no")},
                      scale=1)

    async def scenario() -> list[object]:
        slow = asyncio.ensure_future(svc("slow"))
        results = await asyncio.gather(svc("ok"), svc("bad"), return_exceptions=True)
        slow.cancel()
        await asyncio.gather(slow, return_exceptions=True)
        return results

    ok, bad = asyncio.run(scenario())
    assert ok == svc.expected("ok") and isinstance(bad, ValueError)
    assert [c.outcome for c in svc.calls] == ["cancelled", "ok", "error"]


def _fetch_all(fetch: FakeService, urls: list[str], *, overlap: bool, block: bool = False):  # type: ignore[no-untyped-def]
    async def go() -> list[str]:
        if block:
            time.sleep(0.2)
        if overlap:
            return list(await asyncio.gather(*(fetch(u) for u in urls)))
        return [await fetch(u) for u in urls]
    return go()


def test_trial_proves_overlap_from_peak_in_flight() -> None:
    urls = ["a", "b", "c"]
    good = run_trial(lambda kit: _fetch_all(kit.service("f", 0.1), urls, overlap=True), budget=2)
    bad = run_trial(lambda kit: _fetch_all(kit.service("f", 0.1), urls, overlap=False), budget=2)
    checks.concurrent(good, good.service("f"), at_least=3)
    with pytest.raises(Mistake) as caught:
        checks.concurrent(bad, bad.service("f"), at_least=3)
    assert caught.value.code == "sequential" and "Timeline" in str(caught.value)


def test_heartbeat_and_tripwire_name_the_blocking_line() -> None:
    trial = run_trial(lambda kit: _fetch_all(kit.service("f", 0.05), ["a"], overlap=True, block=True),
                      budget=2)
    assert trial.longest_stall >= 0.15
    with pytest.raises(Mistake) as caught:
        checks.no_blocking(trial)
    assert caught.value.code == "blocking-call"
    assert "test_testkit.py" in str(caught.value) and "time.sleep(0.2)" in str(caught.value)


def test_a_busy_loop_is_called_cpu_bound() -> None:
    async def spin() -> None:
        end = time.perf_counter() + 0.3
        while time.perf_counter() < end:
            pass

    trial = run_trial(lambda kit: spin(), budget=2)
    with pytest.raises(Mistake) as caught:
        checks.no_blocking(trial)
    assert caught.value.code == "cpu-bound"


def test_a_hang_becomes_never_finished_within_the_budget() -> None:
    started = time.perf_counter()
    trial = run_trial(lambda kit: asyncio.Event().wait(), budget=0.3)
    assert trial.timed_out and time.perf_counter() - started < 2
    with pytest.raises(Mistake) as caught:
        checks.finished(trial)
    assert caught.value.code == "never-finished"


def test_leftover_tasks_are_reported_and_cancelled() -> None:
    async def leaky(fetch: FakeService) -> None:
        leaked.append(asyncio.ensure_future(fetch("forgotten")))

    leaked: list[asyncio.Future[str]] = []

    trial = run_trial(lambda kit: leaky(kit.service("f", 5)), budget=1)
    with pytest.raises(Mistake) as caught:
        checks.no_leftovers(trial)
    assert caught.value.code == "leaked-task"
    assert trial.service("f").calls[0].outcome == "cancelled"


def test_a_task_a_timer_starts_after_the_return_is_still_a_leftover() -> None:
    async def sneaky(fetch: FakeService) -> None:
        loop = asyncio.get_running_loop()
        loop.call_later(0.01, lambda: leaked.append(asyncio.ensure_future(fetch("late"))))

    leaked: list[asyncio.Future[str]] = []

    trial = run_trial(lambda kit: sneaky(kit.service("f", 5)), budget=1)
    with pytest.raises(Mistake) as caught:
        checks.no_leftovers(trial)
    assert caught.value.code == "leaked-task"


def test_the_leftover_grace_is_kept_while_anything_is_still_due() -> None:
    from grader.witness.observe import _anything_scheduled

    async def look() -> list[bool]:
        loop = asyncio.get_running_loop()
        seen = [_anything_scheduled(loop)]
        timer = loop.call_later(10, print)
        seen.append(_anything_scheduled(loop))
        timer.cancel()
        seen.append(_anything_scheduled(loop))
        loop.call_soon(print)
        seen.append(_anything_scheduled(loop))
        await asyncio.sleep(0)
        return seen

    assert asyncio.run(look()) == [False, True, False, True]


def test_results_in_completion_order_are_wrong_order() -> None:
    async def reordered() -> list[int]:
        return [3, 1, 2]

    trial = run_trial(lambda kit: reordered(), budget=1)
    with pytest.raises(Mistake) as caught:
        checks.result_equals(trial, [1, 2, 3])
    assert caught.value.code == "wrong-order"


def test_timeline_draws_one_row_per_call() -> None:
    trial = run_trial(lambda kit: _fetch_all(kit.service("f", 0.05), ["a", "b"], overlap=False),
                      budget=2)
    text = render_timeline(trial.services, until=trial.elapsed)
    assert text.count("f('") == 2 and "█" in text


def test_integrity_notices_and_restores_a_patched_clock() -> None:
    integrity.take_snapshot()
    original = time.perf_counter
    time.perf_counter = lambda: 0.0  # what a hostile solution might do
    try:
        assert "time.perf_counter" in integrity.check_and_restore()
    finally:
        time.perf_counter = original
    assert time.perf_counter is original and integrity.check_and_restore() == []


def _block_without_sleep(seconds: float) -> None:
    select.select([], [], [], seconds)  # blocks like a socket read would: no CPU, no time.sleep


def test_a_block_without_time_sleep_is_named_from_the_kernels_view() -> None:
    async def blocks_always() -> None:
        _block_without_sleep(0.2)

    trial = run_trial(lambda kit: blocks_always(), budget=2)
    assert trial.attempts == 1  # no second look needed: the kernel saw the thread blocked
    assert trial.evidence == "kernel" and trial.longest_stall >= 0.15
    assert trial.stall_cpu < 0.05 and trial.stall_calls  # blocked in a system call, not computing
    with pytest.raises(Mistake) as caught:
        checks.no_blocking(trial)
    assert caught.value.code == "blocking-call"


def test_time_a_busy_machine_kept_the_loop_thread_off_the_cpu_is_not_a_stall() -> None:
    from grader.witness.sampler import Sample, _stalls

    idle = {"232"}
    ms = 1_000_000
    # 300 ms outside epoll_wait, 280 ms of it runnable but waiting for a CPU: the machine's doing.
    noisy = [Sample(0.0, "232", 0, 0), Sample(0.002, "running", ms, 0),
             Sample(0.300, "running", 20 * ms, 280 * ms), Sample(0.302, "232", 21 * ms, 280 * ms)]
    stall = _stalls(noisy, idle)[0]
    assert stall.seconds > 0.29 and stall.own < 0.03
    # The same 300 ms blocked in a system call (select) is the learner's.
    blocked = [Sample(0.0, "232", 0, 0), Sample(0.002, "23", ms, 0), Sample(0.300, "23", ms, 0),
               Sample(0.302, "232", ms, 0)]
    assert _stalls(blocked, idle)[0].own > 0.29


def test_what_the_witness_could_not_see_is_not_a_stall() -> None:
    from grader.witness.sampler import Sample, _stalls

    idle, ms = {"232"}, 1_000_000
    # The sampler itself was kept off a CPU for 100 ms between two looks that saw different things:
    # the thread slept meanwhile, idle in its loop or blocked, the witness cannot say which.
    blind = [Sample(0.0, "232", 0, 0), Sample(0.002, "running", ms, 0),
             Sample(0.102, "44", 2 * ms, 0), Sample(0.104, "232", 3 * ms, 0)]
    stall = _stalls(blind, idle)[0]
    assert stall.seconds > 0.09 and stall.unseen > 0.09 and stall.own < 0.01
    # 100 ms in one call at both looks is one call throughout: the learner's, whatever the call
    # (a lock's futex too: waiting for a pool's result is a blocking call, however busy the machine).
    for call in ("35", "202"):
        blocked = _stalls([Sample(0.0, "232", 0, 0), Sample(0.002, call, ms, 0),
                           Sample(0.102, call, ms, 0), Sample(0.104, "232", ms, 0)], idle)[0]
        assert blocked.own > 0.09 and blocked.described() != "a system call"


def test_the_idle_call_is_a_selectors_never_a_lock_the_idle_thread_was_caught_waiting_for(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from itertools import cycle

    from grader.witness import sampler

    if not sampler.POLLING:
        pytest.skip("this machine's selector calls are not known")
    idle = sorted(sampler.POLLING)[0]
    looks = cycle([idle, "202", idle, "202", "running"])  # half the looks caught it in a futex
    monkeypatch.setattr(sampler, "read", lambda pid: sampler.Sample(0.0, next(looks), 0, 0))
    assert sampler.idle_calls(1, 0.02) == {idle}


def test_the_idle_probe_stops_once_it_has_seen_enough_of_a_known_selector_call(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first trial waits for the probe: it ends after `enough` looks at a selector's call, but
    runs its full time where this machine's selector calls are unknown."""
    from grader.testkit import clock
    from grader.witness import sampler

    idle = "232"
    looks: list[str] = []
    monkeypatch.setattr(sampler, "read", lambda pid: looks.append(idle) or sampler.Sample(0.0, idle, 0, 0))
    monkeypatch.setattr(sampler, "POLLING", {idle})
    started = clock.now()
    assert sampler.idle_calls(1, 30.0, enough=5) == {idle}
    assert len(looks) == 5 and clock.now() - started < 5.0
    monkeypatch.setattr(sampler, "POLLING", set())
    started = clock.now()
    assert sampler.idle_calls(1, 0.05, enough=5) == {idle}
    assert clock.now() - started >= 0.05 and len(looks) > 10


def test_a_grey_run_the_machine_kept_waiting_is_inconclusive_not_slow() -> None:
    from grader.testkit.trial import Trial

    band = Band(ideal=1.0, wrong=3.0)  # accepted up to 1.25 s; grey from there to 2.8 s
    late = Trial(budget=5.0, elapsed=1.6, waiting=[(0.0, 0.0), (1.6, 0.5)])
    with pytest.raises(Mistake) as caught:
        checks.within(late, band)
    assert caught.value.code == "inconclusive" and "0.50 s" in str(caught.value)
    own_fault = Trial(budget=5.0, elapsed=1.6, waiting=[(0.0, 0.0), (1.6, 0.1)])
    with pytest.raises(Mistake) as caught:
        checks.within(own_fault, band)
    assert caught.value.code == "too-slow", "the machine's wait does not explain 0.35 s of lateness"
    wrong = Trial(budget=5.0, elapsed=2.95, waiting=[(0.0, 0.0), (2.95, 2.0)])
    with pytest.raises(Mistake) as caught:
        checks.within(wrong, band)
    assert caught.value.code == "sequential", "past the grey zone no wait excuses a wrong answer"


def test_an_early_start_of_the_executor_gives_its_failure_to_the_first_test_that_needs_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from grader.witness import host, session

    def refused() -> host.Executor:
        raise ConnectionError("the executor never dialled")

    monkeypatch.setenv(host.LISTEN_ENV, "-1")  # as under the grader
    monkeypatch.setattr(session, "_current", [])
    monkeypatch.setattr(session, "_early", [])
    monkeypatch.setattr(session, "_start", refused)
    session.start_soon()
    session.start_soon()  # once per session
    assert len(session._early) == 1
    with pytest.raises(ConnectionError, match="never dialled"):
        session.executor()


def test_processes_seen_at_one_moment_only_did_not_compute_side_by_side() -> None:
    from grader.witness.sampler import side_by_side

    assert side_by_side({11: [(1.0, 0.2)], 12: [(1.0, 0.3)]}) == 0.0  # grandchildren seen once
