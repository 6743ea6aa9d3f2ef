"""Checks on the order of events, for the challenges that race, stream and group calls.

Each compares recorded moments on the trial's one clock: when each call started and ended, when a
callback was called, and when the learner's function returned or raised (`trial.elapsed`). So the
verdicts rest on what happened before what, not on a timing tolerance:
- `asked_together`: every service was asked before the first answer came (else `sequential`);
- `stopped_on_return`: calls the result no longer needs had stopped when the function returned;
- `received_each` / `streamed`: a callback got every result, each before the next one arrived.

Two names for "something kept running", kept apart on purpose:
- `not-cancelled` / `siblings-left-running` (`stopped_on_return`): a *call the result no longer
  needs* (a losing mirror, the sibling of a failed job) was still going when the function returned;
- `leaked-task` (`checks.no_leftovers`, `lifecycle.settled_on_return`): *any* task or call still
  pending after the function returned. Suites check the specific name first, so that one root
  cause gets one name.

Imports the testkit's feedback, services, timeline and trial.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from grader.testkit import timeline
from grader.testkit.feedback import Mistake
from grader.testkit.services import Call, FakeService, Recorder
from grader.testkit.trial import Trial

Labelled = tuple[str, Call]


def calls_of(*services: FakeService, skip: Callable[[Call], bool] | None = None) -> list[Labelled]:
    """Every call of the services as (label, call), e.g. ("mirror_a('/x')", call)."""
    return [(f"{svc.name}({call.arg!r})", call) for svc in services for call in svc.calls
            if skip is None or not skip(call)]


def leaves(error: BaseException | None) -> list[BaseException]:
    """The exceptions inside error: itself, or every leaf of a (nested) exception group."""
    if error is None:
        return []
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaves(inner)]
    return [error]


def carries(error: BaseException | None, target: BaseException) -> bool:
    """target is error, a leaf of its group, or somewhere in its cause/context chain."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if current is target:
            return True
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)
        todo += [current.__cause__, current.__context__]
    return False


def asked_together(trial: Trial, services: Iterable[FakeService], what: str = "services",
                   next_step: str | None = None) -> None:
    """Every service was asked before any of them answered (else `sequential`)."""
    services = list(services)
    started = [(svc, call) for svc in services for call in svc.calls if call.entered]
    ends = [c.ended_at for _, c in started if c.ended_at is not None and c.outcome != "cancelled"]
    first_answer = min(ends, default=trial.elapsed)
    never = [svc.name for svc in services if not any(c.entered for c in svc.calls)]
    late = [f"{svc.name} at {c.started_at:.2f} s" for svc, c in started
            if c.started_at is not None and c.started_at > first_answer]
    if never or late:
        parts = [f"it asked {', '.join(late)}, only after the first answer had come in "
                 f"({first_answer:.2f} s)"] if late else []
        parts += [f"it never asked {', '.join(never)}"] if never else []
        raise Mistake("sequential", f"Your code asked the {what} one at a time: {'; '.join(parts)}.",
                      f"all {len(services)} {what} asked at once, at the start", next_step,
                      details=timeline.render(trial.services, until=trial.elapsed))


def stopped_on_return(trial: Trial, calls: Iterable[Labelled], *, code: str,
                      finished_code: str | None = None, since: tuple[str, float] | None = None,
                      function: str = "your function") -> None:
    """Each call had stopped (cancelled) by the time the function returned or raised.

    A call still running then is `code`; with finished_code, a call that ran to completion before
    the return (it was waited for instead of cancelled) is finished_code. `since` names the moment
    the calls stopped being needed, e.g. ("the first answer came in", 0.6). Calls cancelled by the
    trial's own sweep of leftover tasks (GRACE after the return) count as still running;
    calls cancelled but not awaited are cancel-not-awaited.
    """
    calls = list(calls)
    ended = "raised" if trial.error is not None else "returned"
    running = [(label, call) for label, call in calls if _state(trial, call) == "running"]
    waited = [(label, call) for label, call in calls if _state(trial, call) == "finished"]
    cancelling = [(label, call) for label, call in calls if _state(trial, call) == "cancelling"]
    if cancelling and not running:
        label, call = cancelling[0]
        more = f" (and {len(cancelling) - 1} more)" if len(cancelling) > 1 else ""
        who = "Your function" if function == "your function" else function
        raise Mistake("cancel-not-awaited", f"{who} cancelled {label}{more} at "
                      f"{call.cancelled_at or 0:.2f} s, then {ended} at {trial.elapsed:.2f} s without "
                      f"waiting for the cancellation to finish (it finished at {call.ended_at or 0:.2f} "
                      "s). task.cancel() only asks; until the task is awaited it may still be running.",
                      f"every cancelled task awaited before {function} {ended}",
                      details=timeline.render(trial.services))
    if running:
        labels = [label for label, _ in running]
        listed = ", ".join(labels[:-1]) + f" and {labels[-1]}" if len(labels) > 1 else labels[0]
        were, them = ("were", "them") if len(labels) > 1 else ("was", "it")
        swept = [c.ended_at for _, c in running if c.outcome == "cancelled" and c.ended_at is not None]
        after = f", so the grader did, at {min(swept):.2f} s" if swept else ""
        raise Mistake(code, f"When {function} {ended} at {trial.elapsed:.2f} s, {listed} {were} still "
                      f"running: nothing had cancelled {them}{after}.",
                      f"the calls nobody needs any more cancelled before {function} {ended}",
                      details=timeline.render(trial.services))
    if waited and finished_code is not None:
        listed = ", ".join(f"{label} (finished at {call.ended_at:.2f} s)" for label, call in waited)
        why = f", although {since[0]} at {since[1]:.2f} s" if since else ""
        raise Mistake(finished_code, f"{function} {ended} only at {trial.elapsed:.2f} s, after "
                      f"waiting for {listed}{why}.",
                      f"those calls cancelled as soon as {since[0] if since else 'they were not needed'}",
                      details=timeline.render(trial.services))


def received_each(trial: Trial, recorder: Recorder, expected: list[Any], what: str) -> None:
    """The callback got every expected value exactly once, in any order."""
    values = recorder.values
    pending = [v for v in values if inspect.isawaitable(v)]
    for value in pending:
        if inspect.iscoroutine(value):
            value.close()
    if pending:
        raise Mistake("not-awaited", f"{what} was given {len(pending)} awaitable(s) such as "
                      f"{pending[0]!r} instead of the values they produce.",
                      f"{what} called with each result, after awaiting it",
                      f"Await each one and pass {what} what the await gives you: "
                      f"`{what}(await next_result)`.")
    if sorted(map(repr, values)) != sorted(map(repr, expected)):
        raise Mistake("wrong-result", f"{what} was called {len(values)} time(s) with "
                      f"{_short(values)}.", f"one call for each of these, in any order: {_short(expected)}")


def streamed(trial: Trial, recorder: Recorder, service: FakeService, what: str = "report") -> None:
    """Each result was passed on before the next result arrived (else `not-streaming`)."""
    ends = sorted(c.ended_at for c in service.calls if c.outcome == "ok" and c.ended_at is not None)
    arrivals = {service.expected(c.arg): c for c in service.calls if c.outcome == "ok"}
    for event in recorder.events:
        call = arrivals.get(event.value) if isinstance(event.value, Hashable) else None
        if call is None or call.ended_at is None:  # not a body: received_each explains that
            continue
        later = [end for end in ends if end > call.ended_at]
        if later and event.at > later[0]:
            after = sum(end < event.at for end in later)
            more = "another result" if after == 1 else f"{after} more results"
            raise Mistake("not-streaming", f"The result of {service.name}({call.arg!r}) arrived at "
                          f"{call.ended_at:.2f} s, but {what} got it only at {event.at:.2f} s, after "
                          f"{more} had arrived.", f"each result passed to {what} as "
                          f"soon as it arrives (this one before {later[0]:.2f} s)",
                          details=_with_events(trial, recorder))


def _state(trial: Trial, call: Call) -> str:
    """idle (never entered) | cancelled | finished | cancelling (cancelled but not awaited) |
    running, as of the function's return (all on the witness's clock)."""
    if not call.entered:
        return "idle"
    if call.settled_by(trial.elapsed):
        return "cancelled" if call.outcome == "cancelled" else "finished"
    return "cancelling" if call.cancel_unawaited(trial.elapsed) else "running"


def _with_events(trial: Trial, recorder: Recorder) -> str:
    lines = [f"{recorder.name}() was called at: "
             + ", ".join(f"{e.at:.2f} s" for e in recorder.events)]
    return "\n".join([*lines, "", timeline.render(trial.services, until=trial.elapsed)])


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + " ...]"
