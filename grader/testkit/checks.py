"""The checks challenge tests share. Each looks at a Trial and raises a Mistake naming what went wrong.

Order matters: a run that raised or hung is explained first, then blocking and forgotten awaits
(they explain everything that follows), then results, then concurrency evidence, then the clock.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from grader.testkit import timeline
from grader.testkit.feedback import Mistake, explain_exception
from grader.testkit.services import FakeService
from grader.testkit.timing import Band, Verdict
from grader.testkit.trial import Trial

STALL_LIMIT = 0.1  # seconds; the heartbeat's own noise stays under 5 ms even on a loaded machine


def finished(trial: Trial) -> None:
    """The learner's code returned normally within its budget."""
    if trial.timed_out:
        waiting = [f"{svc.name}({c.arg!r})" for svc in trial.services for c in svc.running]
        also = f" Still waiting on: {', '.join(waiting)}." if waiting else ""
        raise Mistake("never-finished", f"Your code was still running after {trial.budget:.2f} s "
                      f"and was stopped.{also}", "it to finish well within that time",
                      details=timeline.render(trial.services, until=trial.elapsed))
    if trial.error is not None:
        raise explain_exception(trial.error)


def no_blocking(trial: Trial, limit: float = STALL_LIMIT) -> None:
    """The event loop was never frozen: no time.sleep on the loop, no long stall."""
    if trial.sleeps:
        where = "; ".join(s.describe() for s in trial.sleeps[:3])
        raise Mistake("blocking-call", f"Your code called {where} inside a coroutine. That froze "
                      f"the event loop for {trial.longest_stall:.2f} s, so nothing else could run.",
                      "the loop to keep running while your code waits",
                      "Replace time.sleep(x) with await asyncio.sleep(x).")
    if trial.longest_stall > limit:
        busy = trial.cpu >= 0.6 * trial.longest_stall
        code = "cpu-bound" if busy else "blocking-call"
        what = (f"busy computing (it used {trial.cpu:.2f} s of CPU)" if busy
                else "blocked in a call that does not give the loop back")
        raise Mistake(code, f"The event loop was frozen for {trial.longest_stall:.2f} s while your "
                      f"code was {what}.", f"no stall longer than {limit:.2f} s")


def all_awaited(trial: Trial, *services: FakeService) -> None:
    """Every coroutine the learner created from a service was awaited, and no result is a coroutine."""
    for svc in services or trial.services:
        if svc.entered < svc.called:
            raise Mistake("not-awaited", f"{svc.name}() was called {svc.called} times but its body "
                          f"ran only {svc.entered} times: the other coroutines were never awaited.",
                          f"all {svc.called} calls awaited",
                          details=timeline.render(trial.services, until=trial.elapsed))
    coroutines = [r for r in _flatten(trial.result) if inspect.iscoroutine(r)]
    for coro in coroutines:
        coro.close()
    if coroutines or trial.unawaited:
        raise Mistake("not-awaited", f"Your code returned {len(coroutines) or 'some'} coroutine "
                      "object(s) instead of their results"
                      + (f" ({trial.unawaited[0]})." if trial.unawaited else "."),
                      "the values the coroutines produce")


def ran_cleanly(trial: Trial) -> None:
    """The run finished, never froze the loop, and awaited everything: the usual first checks."""
    finished(trial)
    no_blocking(trial)
    all_awaited(trial)


def result_equals(trial: Trial, expected: Any, what: str = "the result") -> None:
    """The learner's result equals expected; the same items in another order is `wrong-order`."""
    if trial.result == expected:
        return
    if _same_items_reordered(trial.result, expected):
        raise Mistake("wrong-order", f"{what.capitalize()} has the right items in the wrong order: "
                      f"{_short(trial.result)}.", f"this order: {_short(expected)}")
    if trial.result != expected:
        raise Mistake("wrong-result", f"{what.capitalize()} was {_short(trial.result)}.",
                      _short(expected))


def concurrent(trial: Trial, service: FakeService, at_least: int) -> None:
    """At least `at_least` calls of service were in flight at the same moment."""
    if service.peak < at_least:
        raise Mistake("sequential", f"Your {service.called} {service.name} calls ran one after "
                      f"another: at most {service.peak} in flight at once, {trial.elapsed:.2f} s "
                      "in all.", f"{at_least} in flight together",
                      details=timeline.render(trial.services, until=trial.elapsed))


def at_most_in_flight(trial: Trial, service: FakeService, limit: int) -> None:
    if service.peak > limit:
        raise Mistake("over-limit", f"{service.peak} {service.name} calls were in flight at once.",
                      f"never more than {limit}",
                      details=timeline.render(trial.services, until=trial.elapsed))


def within(trial: Trial, band: Band, slow_code: str = "sequential", what: str = "Your code") -> None:
    """The wall clock falls inside the band. Slower than the band: slow_code names why."""
    verdict = band.verdict(trial.elapsed)
    figures = band.figures()
    again = f" (best of {trial.attempts} runs)" if trial.attempts > 1 else ""
    if verdict is Verdict.TOO_FAST:
        raise Mistake("too-fast", f"{what} finished in {trial.elapsed:.2f} s{again}, faster than "
                      "the waiting it must do.", figures)
    if verdict is Verdict.OK:
        return
    code = slow_code if verdict is Verdict.SLOW else "too-slow"
    raise Mistake(code, f"{what} took {trial.elapsed:.2f} s{again}.", figures,
                  details=timeline.render(trial.services, until=trial.elapsed))


def no_leftovers(trial: Trial) -> None:
    running = [f"{svc.name}({c.arg!r})" for svc in trial.services for c in svc.running]
    if trial.leftover or running:
        listed = ", ".join(running or trial.leftover)
        raise Mistake("leaked-task", f"When your function returned, this was still running: "
                      f"{listed}.", "nothing left running once the function returns",
                      details=timeline.render(trial.services, until=trial.elapsed))


def _same_items_reordered(actual: Any, expected: Any) -> bool:
    if not isinstance(actual, list | tuple) or not isinstance(expected, list | tuple):
        return False
    try:
        return sorted(map(repr, actual)) == sorted(map(repr, expected))
    except TypeError:
        return False


def _flatten(value: Any) -> Iterable[Any]:
    if isinstance(value, list | tuple | set):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, dict):
        yield from _flatten(list(value.values()))
    else:
        yield value


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + " ...]"
