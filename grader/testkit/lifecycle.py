"""Checks on the life of each recorded call: how it ended, and how soon it started.

The coordination challenges (keep every outcome, give up at a deadline, stay under a limit) are
graded on what became of each call by the moment the learner's function returned, all read from
the fake services' records and the trial's clock (one time origin), never from the wall clock:
- `failures_kept`: no error a service raised escaped the function (alone, in an ExceptionGroup, or
  as the cause of another exception);
- `ran_to_completion`: every call ran to its own end; none was cancelled or abandoned;
- `settled_on_return`: no call was still running when the function returned: each had finished or
  been cancelled (a cancel requested just before returning counts; what the trial's own sweep of
  leftovers cancels, GRACE later, counts as leaked);
- `refills_promptly`: under a limit, each new call started as soon as a slot was free.

Imports the testkit's feedback, ordering, services, timeline and trial.
"""

from __future__ import annotations

from grader.testkit import ordering, timeline
from grader.testkit.feedback import Mistake
from grader.testkit.services import Call, FakeService
from grader.testkit.trial import Trial

PROMPT = 0.1  # seconds (real, not scaled): a refill waits a few loop turns, ms even under load


def failures_kept(trial: Trial, *services: FakeService, code: str = "lost-results") -> None:
    """No exception a service raised escaped the learner's function: each was kept as a result."""
    if trial.error is None:
        return
    escaped = next(((svc, call, call.error) for svc in services or trial.services for call in svc.calls
                    if call.error is not None and ordering.carries(trial.error, call.error)), None)
    if escaped is None:
        return
    svc, call, error = escaped
    grouped = error is not trial.error
    how = f"{_article(type(trial.error).__name__)} wrapping {error!r}" if grouped else repr(error)
    others = [c for s in services or trial.services for c in s.calls if c is not call]
    fate = _fates(others, trial.elapsed)
    raise Mistake(code, f"Your function raised {how}, the error {svc.name}({call.arg!r}) raised at "
                  f"{call.ended_at or 0:.2f} s, so it returned nothing: the outcomes of the other "
                  f"{len(others)} calls were thrown away ({fate}).{_stopped_later(others, trial.elapsed)}",
                  "a result for every call, with each error kept as a value",
                  details=timeline.render(trial.services, until=trial.elapsed))


def ran_to_completion(trial: Trial, *services: FakeService, code: str = "lost-results") -> None:
    """Every call that started ran to its own end (a result or an error) before the function returned."""
    for svc in services or trial.services:
        cut = [c for c in svc.calls if c.entered and not _done_by(c, trial.elapsed)]
        if not cut:
            continue
        listed = ", ".join(f"{svc.name}({c.arg!r})" for c in cut[:4]) + (" ..." if len(cut) > 4 else "")
        raise Mistake(code, f"{len(cut)} of the {svc.called} {svc.name} calls did not run to their end "
                      f"before your function returned ({_fates(cut, trial.elapsed)}): {listed}. Their "
                      f"outcomes are lost.{_stopped_later(cut, trial.elapsed)}",
                      f"all {svc.called} calls finished, each with its result or its error",
                      details=timeline.render(trial.services, until=trial.elapsed))


def settled_on_return(trial: Trial, *services: FakeService) -> None:
    """When the function returned, every call had finished or been cancelled: none was abandoned."""
    for svc in services or trial.services:
        open_ = [c for c in svc.calls if c.entered and not _settled_by(c, trial.elapsed)]
        unawaited = [c for c in open_ if c.cancel_unawaited(trial.elapsed)]
        if unawaited and len(unawaited) == len(open_):
            raise cancel_not_awaited(trial, svc, unawaited)
        if open_:
            call = open_[0]
            raise Mistake("leaked-task", f"Your function returned at {trial.elapsed:.2f} s while "
                          f"{svc.name}({call.arg!r}) was still running"
                          + (f" ({len(open_)} calls in all)" if len(open_) > 1 else "")
                          + "; nothing had cancelled it, so it would have kept running (the grader "
                          "cancelled it afterwards).", "every call finished or cancelled (and awaited) "
                          "before the function returns", details=timeline.render(trial.services))


def refills_promptly(trial: Trial, service: FakeService, limit: int, *, prompt: float = PROMPT,
                     code: str = "batched") -> None:
    """With at most `limit` calls in flight, each new call starts as soon as a slot is free.

    The k-th call to start (k > limit) needs a free slot, which the (k - limit)-th call to end gives
    it; any solution within the limit starts it no earlier. A prompt solution (a shared semaphore, a
    pool of workers) starts it a few loop turns later; fixed batches start it only when the whole
    batch is done. The first `limit` calls should start together.
    """
    started = sorted((c for c in service.calls if c.started_at is not None),
                     key=lambda c: c.started_at or 0.0)
    ends = sorted(c.ended_at for c in service.calls if c.ended_at is not None)
    late: list[tuple[int, Call, float, float]] = []  # (rank, call, slot free since, delay)
    for k, call in enumerate(started):
        if k < limit:
            ready = started[0].started_at or 0.0
        elif k - limit < len(ends):
            ready = ends[k - limit]
        else:
            continue
        delay = (call.started_at or 0.0) - ready
        if delay > prompt:
            late.append((k, call, ready, delay))
    if not late:
        return
    k, call, ready, delay = late[0]
    more = (f" {len(late)} of the {len(started)} calls started late like this, the worst by "
            f"{max(d for *_, d in late):.2f} s." if len(late) > 1 else "")
    raise Mistake(code, f"A slot was free from {ready:.2f} s, but the next {service.name} call "
                  f"({service.name}({call.arg!r}), the {_ordinal(k + 1)} to start) began only at "
                  f"{call.started_at or 0:.2f} s: for {delay:.2f} s fewer than {limit} were in flight "
                  f"while work was waiting.{more}",
                  f"a new call to start within {prompt:.2f} s of a slot freeing up",
                  details=timeline.render(trial.services, until=trial.elapsed))


def _done_by(call: Call, moment: float) -> bool:
    return call.outcome in ("ok", "error") and call.ended_at is not None and call.ended_at <= moment


def cancel_not_awaited(trial: Trial, svc: FakeService, calls: list[Call]) -> Mistake:
    """The caller cancelled these calls but returned before their cancellation was done."""
    call = calls[0]
    more = f" ({len(calls)} calls in all)" if len(calls) > 1 else ""
    return Mistake("cancel-not-awaited", f"Your function cancelled {svc.name}({call.arg!r}){more} at "
                   f"{call.cancelled_at or 0:.2f} s, then returned at {trial.elapsed:.2f} s without "
                   f"waiting for the cancellation to finish (it finished at {call.ended_at or 0:.2f} s). "
                   "task.cancel() only asks: the task still has to stop (and run its clean-up), and "
                   "until you await it, it is running behind your back.",
                   "every cancelled task awaited before the function returns",
                   details=timeline.render(trial.services))


def _settled_by(call: Call, moment: float) -> bool:
    return call.settled_by(moment)


def _fates(calls: list[Call], moment: float) -> str:
    """'2 finished, 3 cancelled, 1 still running' as things stood when the function returned."""
    counts = {"finished": 0, "cancelled": 0, "still running": 0}
    for call in calls:
        if not _settled_by(call, moment):
            counts["still running"] += 1
        elif call.outcome == "cancelled":
            counts["cancelled"] += 1
        else:
            counts["finished"] += 1
    return ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "none"


def _stopped_later(calls: list[Call], moment: float) -> str:
    """A note for the timeline: calls still running at the return were cancelled by the grader."""
    if any(not _settled_by(call, moment) for call in calls):
        return " (The grader cancelled the calls still running after your function returned.)"
    return ""


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _article(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"
