"""The checks challenge tests share. Each looks at a Trial and raises a Mistake naming what went wrong.

Order matters: a run that raised or hung is explained first, then blocking and forgotten awaits
(they explain everything that follows), then results, then concurrency evidence, then the clock.

Imports the testkit's blocking, feedback, services, timeline, timing, trial and watch, and
grader.witness.values.
"""

from __future__ import annotations

import contextlib
import linecache
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from grader.testkit import timeline
from grader.testkit import trial as trial_module
from grader.testkit.blocking import BlockingService
from grader.testkit.feedback import SOLUTION_FILES, Mistake, explain_exception
from grader.testkit.services import Call, FakeService
from grader.testkit.timing import Band, Verdict
from grader.testkit.trial import Trial
from grader.testkit.watch import BlockingSleep
from grader.witness.values import RemoteCoroutine, RemoteTask

STALL_LIMIT = trial_module.STALL_LIMIT


def finished(trial: Trial) -> None:
    """The learner's code returned normally within its budget (and left the kit's functions alone:
    its own process says so, which can only cost it points, never earn any)."""
    if trial.tampered:
        raise Mistake("tampering", f"Your code replaced functions the kit relies on: "
                      f"{', '.join(trial.tampered[:4])}. They were put back; this test scores zero.",
                      "the kit's own functions left alone")
    if trial.crashed:
        raise Mistake("crashed", f"The process running your code stopped before it returned "
                      f"({trial.crashed}).", "your function to return (no sys.exit, os._exit or "
                      "endless loop that ignores the deadline)")
    if trial.late:
        raise Mistake("leaked-task", f"Work went on after your function returned: {trial.late} "
                      "call(s) reached the services after the return, so the answer was given "
                      "before the work it stands for had finished.", "nothing left running once the "
                      "function returns", "Await every task you start before returning.",
                      details=timeline.render(trial.services))
    if trial.not_awaitable:
        article = "an" if trial.not_awaitable[:1].lower() in "aeiou" else "a"
        raise Mistake("not-async", f"The call gave back {article} {trial.not_awaitable} directly, not "
                      "something to await: the function is a plain `def` that did its work (and "
                      "any waiting) right away, blocking its caller.",
                      "a coroutine function (`async def`), so the caller can await it")
    if trial.timed_out:
        waiting = [f"{svc.name}({c.arg!r})" for svc in trial.services for c in svc.running]
        also = f" Still waiting on: {', '.join(waiting)}." if waiting else ""
        stuck = (f" Its event loop had stopped answering: the thread was stuck at {trial.stuck_at}."
                 if trial.stuck_at else "")
        raise Mistake("never-finished", f"Your code was still running after {trial.budget:.2f} s "
                      f"and was stopped.{stuck}{also}", "it to finish well within that time",
                      details=timeline.render(trial.services, until=trial.elapsed))
    if trial.error is not None:
        mistake = _explained(trial)
        missed = [svc for svc in trial.services if svc.entered < svc.called]
        if mistake.code == "not-awaited" and missed:  # name the service whose calls never ran too
            mistake = Mistake("not-awaited", " ".join([mistake.happened, *map(_never_entered, missed)]),
                              mistake.expected, mistake.next_step)
        raise mistake


def _explained(trial: Trial) -> Mistake:
    """The learner process's own reading of its exception (it can see the traceback's frames) when
    that reading names a known diagnosis; the witness's otherwise. The failure is the witness's."""
    assert trial.error is not None
    if trial.explained:
        code, happened, expected, next_step, traceback_text = trial.explained
        with contextlib.suppress(KeyError, ValueError):
            return Mistake(code, happened, expected, next_step, details=traceback_text)
    return explain_exception(trial.error)


def no_blocking(trial: Trial, limit: float = STALL_LIMIT) -> None:
    """The event loop was never frozen: no time.sleep on the loop, no long stall."""
    if trial.sleeps:
        where = _sleep_sites(trial.sleeps)
        raise Mistake("blocking-call", f"Your code called {where} inside a coroutine. That froze "
                      f"the event loop for {trial.longest_stall:.2f} s, so nothing else could run.",
                      "the loop to keep running while your code waits",
                      "time.sleep stops the whole thread, the event loop with it: wait in a way "
                      "the loop can pause on, so it runs the other tasks meanwhile.")
    if trial.longest_stall > limit:
        busy = trial.stall_cpu >= trial_module.BUSY_SHARE * trial.longest_stall
        code = "cpu-bound" if busy else "blocking-call"
        what = (f"busy computing (it used {trial.stall_cpu:.2f} s of CPU meanwhile)" if busy
                else "blocked in a call that does not give the loop back")
        step = None if busy else ("Find the call that waits without `await` (the thread sat in "
                                  f"{trial.stall_in}, {trial.stall_cpu:.2f} s of CPU) and await an "
                                  "async version instead, or hand the blocking function to "
                                  "asyncio.to_thread / run_in_executor.")
        excused = (f" (not counting {trial.stall_waited + trial.stall_excused:.2f} s when the busy "
                   "machine kept it, or the grader watching it, off a CPU)"
                   if trial.stall_waited + trial.stall_excused >= 0.01 else "")
        raise Mistake(code, f"The event loop was frozen for {trial.longest_stall:.2f} s{excused} "
                      f"while your code was {what}.", f"no stall longer than {limit:.2f} s", step)


def all_awaited(trial: Trial, *services: FakeService) -> None:
    """Every coroutine the learner created from a service was awaited, and no result is a coroutine,
    task or future (each of those is a value that was never awaited)."""
    missed = [svc for svc in services or trial.services if svc.entered < svc.called]
    if missed:
        raise Mistake("not-awaited", " ".join(_never_entered(svc) for svc in missed)
                      + " Calling an async function only creates a coroutine object; its body runs "
                      "when the coroutine is awaited (or handed to gather or create_task).",
                      "every call awaited: " + ", ".join(f"{svc.name} entered {_times(svc.called)}"
                                                         for svc in missed),
                      details=timeline.render(trial.services, until=trial.elapsed))
    values = list(_flatten(trial.result))
    coroutines = [r for r in values if isinstance(r, RemoteCoroutine)]
    futures = [r for r in values if isinstance(r, RemoteTask)]
    named = ", ".join(dict.fromkeys(f"{r.name}()" for r in coroutines + futures))
    if futures:
        kind = "Task" if all(f.kind == "task" for f in futures) else "Future"
        raise Mistake("not-awaited", f"Your code returned {len(futures)} {kind} object(s) ({named}) "
                      "where their results belong: a task is a handle on the work, and `await task` "
                      "gives what it produced.", "the values the tasks produce",
                      "Await each task where you need its result: `value = await task`.")
    if trial.unawaited and not coroutines:  # made and dropped, not returned: it never ran at all
        more = f" (and {len(trial.unawaited) - 1:,} more like it)" if len(trial.unawaited) > 1 else ""
        raise Mistake("not-awaited", f"Your code made a coroutine and dropped it without awaiting "
                      f"it: {trial.unawaited[0]}{more}. Calling an async function only creates a "
                      "coroutine object; nothing in it runs (no waiting, no work) until it is awaited.",
                      "every coroutine your code makes awaited")
    if coroutines or trial.unawaited:
        what = f" ({named})" if named else ""
        raise Mistake("not-awaited", f"Your code returned {len(coroutines) or 'some'} coroutine "
                      f"object(s){what} instead of their results"
                      + (f" ({trial.unawaited[0]})." if trial.unawaited else "."),
                      "the values the coroutines produce")


def _sleep_sites(sleeps: list[BlockingSleep]) -> str:
    """Each line that called time.sleep, once, with a count when it did so repeatedly (in a loop)."""
    sites: dict[tuple[str, int], list[BlockingSleep]] = {}
    for sleep in sleeps:
        sites.setdefault((sleep.filename, sleep.line_no), []).append(sleep)
    parts = []
    for group in list(sites.values())[:3]:
        text = group[0].describe()
        if len(group) > 1:
            if len({s.seconds for s in group}) > 1:  # one line, several durations: name none of them
                text = text.replace(f"time.sleep({group[0].seconds:g})", "time.sleep", 1)
            text += f" ({len(group)} times, {sum(s.seconds for s in group):g} s in all)"
        parts.append(text)
    return "; ".join(parts)


def _never_entered(svc: FakeService) -> str:
    """'get_user() was called 1 time but entered 0 times: the coroutine made at ... was never awaited.'"""
    lost = [c for c in svc.calls if not c.entered]
    where = _solution_line(lost[0].site) if lost[0].site else ""
    if len(lost) == 1:
        which = "the coroutine" + (f" made at {where}" if where else "") + " was never awaited"
    else:
        which = f"{len(lost)} of its coroutines were never awaited"
        which += f", the first made at {where}" if where else ""
    return f"{svc.name}() was called {_times(svc.called)} but entered {_times(svc.entered)}: {which}."


def _solution_line(site: tuple[str, int]) -> str:
    """'solution.py, line 7 (`x = f()`)' when the site is in the solution under test, else ''."""
    filename, line_no = site
    if Path(filename) not in SOLUTION_FILES:
        return ""
    code = linecache.getline(filename, line_no).strip()
    return f"{Path(filename).name}, line {line_no}" + (f" (`{code}`)" if code else "")


def _times(n: int) -> str:
    return f"{n} time" if n == 1 else f"{n} times"


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
    still = _still_running_at_return(trial)
    if still:  # the answer was not there yet because the work was left to run after the return
        raise Mistake("leaked-task", f"{what.capitalize()} was {_short(trial.result)}: your function "
                      f"returned while {still} was still running, so its result never made it in.",
                      _short(expected), "Await every task you start before you return (or hand the "
                      "work to gather / a TaskGroup, which wait for it).",
                      details=timeline.render(trial.services, until=trial.elapsed))
    raise Mistake("wrong-result", f"{what.capitalize()} was {_short(trial.result)}.", _short(expected))


def _still_running_at_return(trial: Trial) -> str:
    """A call the witness was still serving when the function returned, or a task it left pending."""
    for svc in trial.services:
        for call in svc.calls:
            if call.entered and not call.settled_by(trial.elapsed) and call.cancelled_at is None:
                return f"{svc.name}({call.arg!r})"
    return trial.leftover[0] if trial.leftover else ""


def concurrent(trial: Trial, service: FakeService, at_least: int, next_step: str | None = None) -> None:
    """At least `at_least` calls of service were in flight at the same moment."""
    if service.called < at_least:
        raise Mistake("wrong-result", f"Your code called {service.name} {_times(service.called)}.",
                      f"{at_least} calls of {service.name}, in flight together", next_step,
                      details=timeline.render(trial.services, until=trial.elapsed))
    used = _used_calls(trial, service)
    peak = _peak(used)
    if peak >= at_least:
        return
    chart = timeline.render(trial.services, until=trial.elapsed)
    if service.peak >= at_least:
        raise Mistake("sequential", f"{service.peak} {service.name} calls were in flight at once, but "
                      f"their answers were not the ones your code returned: the calls whose answers "
                      f"it used ran at most {peak} at a time.", f"{at_least} in flight together, "
                      "the very calls whose answers you return", next_step, details=chart)
    groups = _fixed_groups(service)
    if service.peak <= 1:
        raise Mistake("sequential", f"Your {service.called} {service.name} calls ran one after "
                      f"another: at most 1 in flight at once, {trial.elapsed:.2f} s in all.",
                      f"{at_least} in flight together", next_step, details=chart)
    if groups:
        raise Mistake("batched", f"Your {service.called} {service.name} calls ran in fixed groups "
                      f"({', '.join(map(str, groups))}): each group started only when the one before "
                      f"had finished entirely, so at most {service.peak} were in flight.",
                      f"{at_least} in flight together", next_step, details=chart)
    raise Mistake("too-few-at-once", f"At most {service.peak} of your {service.called} "
                  f"{service.name} calls were in flight at once, where {at_least} could have been.",
                  f"{at_least} in flight together", next_step, details=chart)


def _used_calls(trial: Trial, service: FakeService) -> list[Any]:
    """The calls whose answer (body, or the very error raised) reached the result, the error the
    function raised, or a recorder: the ones that did the work the learner hands back."""
    texts = [v for v in _flatten(trial.result) if isinstance(v, str)]
    texts += [v for rec in trial.recorders for e in rec.events for v in _flatten(e.value)
              if isinstance(v, str)]
    errors = {id(v) for v in _flatten(trial.result) if isinstance(v, BaseException)}
    errors |= {id(e) for e in _chain(trial.error)}
    return [c for c in service.calls
            if (isinstance(c.body, str) and any(c.body in t for t in texts))
            or (c.error is not None and id(c.error) in errors)]


def _chain(error: BaseException | None) -> list[BaseException]:
    found: list[BaseException] = []
    queue = [error] if error is not None else []
    while queue and len(found) < 1000:
        current = queue.pop()
        if any(current is f for f in found):
            continue
        found.append(current)
        queue += list(getattr(current, "exceptions", ()))
        queue += [e for e in (current.__cause__, current.__context__) if e is not None]
    return found


def _peak(calls: list[Any]) -> int:
    edges = sorted([(c.started_at, 1) for c in calls if c.started_at is not None]
                   + [(c.ended_at, -1) for c in calls if c.ended_at is not None and c.started_at is not None])
    running = peak = 0
    for _at, step in edges:
        running += step
        peak = max(peak, running)
    return peak


def _fixed_groups(service: FakeService) -> list[int]:
    """Sizes of the groups the calls ran in, when each group started together only after the whole
    previous group had ended (a batch at a time); [] for any other pattern."""
    calls = sorted((c for c in service.calls if c.started_at is not None and c.ended_at is not None),
                   key=lambda c: c.started_at or 0.0)
    groups: list[list[Any]] = []
    for call in calls:
        if groups and (call.started_at or 0.0) < max(c.ended_at or 0.0 for c in groups[-1]):
            groups[-1].append(call)
        else:
            groups.append([call])
    return [len(g) for g in groups] if len(groups) >= 2 else []


def at_most_in_flight(trial: Trial, service: FakeService, limit: int) -> None:
    if service.peak > limit:
        raise Mistake("over-limit", f"{service.peak} {service.name} calls were in flight at once.",
                      f"never more than {limit}",
                      details=timeline.render(trial.services, until=trial.elapsed))


def within(trial: Trial, band: Band, slow_code: str = "sequential", what: str = "Your code",
           next_step: str | None = None) -> None:
    """The wall clock falls inside the band. Slower than the band: slow_code names why (next_step
    replaces its generic hint)."""
    verdict = band.verdict(trial.elapsed)
    figures = band.figures()
    again = f" (best of {trial.attempts} runs)" if trial.attempts > 1 else ""
    if verdict is Verdict.TOO_FAST:
        raise Mistake("too-fast", f"{what} finished in {trial.elapsed:.2f} s{again}, faster than "
                      "the waiting it must do.", figures)
    if verdict is Verdict.OK:
        return
    busy = trial.waited(0.0, trial.elapsed)
    if verdict is Verdict.GREY and band.verdict(trial.elapsed - busy) is Verdict.OK:
        raise Mistake("inconclusive", f"{what} took {trial.elapsed:.2f} s{again}, but the machine "
                      f"kept its event loop waiting for a CPU for {busy:.2f} s of that; without "
                      f"that wait, {trial.elapsed - busy:.2f} s is within the band.", figures,
                      "Nothing to fix in your code here: check again when the machine is quieter.")
    code = slow_code if verdict is Verdict.SLOW else "too-slow"
    raise Mistake(code, f"{what} took {trial.elapsed:.2f} s{again}.", figures,
                  next_step if code == slow_code else None,
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


# -- blocking functions -----------------------------------------------------------------------

def ran_off_loop(trial: Trial, service: BlockingService) -> None:
    """Every call of the blocking function ran in a worker thread, never on the event loop."""
    if not service.loop_calls:
        return
    call = service.loop_calls[0]
    count, called = len(service.loop_calls), service.called
    share = f" (all {called} calls)" if count == called else f" ({count} of {called} calls)"
    share = "" if called == 1 else share
    seconds = service.latency(call.arg)
    raise Mistake("blocking-call", f"{service.name}() is a blocking function, and your code called it "
                  f"on the event loop{share}, at {_where(call)}. Each such call froze the loop for "
                  f"{seconds:.2f} s (the longest freeze was {trial.longest_stall:.2f} s), and nothing "
                  "else could run meanwhile.", "every call of a blocking function made in a worker "
                  "thread, so the loop stays free",
                  f"{service.name} has no async version, so it must not run on the loop's thread: "
                  "let a worker thread make the call while the loop carries on (pass the function "
                  f"and `{_arg_name(call)}` separately, so the call happens there).",
                  details=timeline.render(trial.services, until=trial.elapsed))


def _where(call: Call) -> str:
    if call.site is None:
        return "an unknown line"
    filename, line_no = call.site
    code = linecache.getline(filename, line_no).strip()
    return f"{Path(filename).name}, line {line_no}" + (f": `{code}`" if code else "")


def _arg_name(call: Call) -> str:
    """The learner's own name for the argument where the call line shows it, else `arg`."""
    if call.site is None:
        return "arg"
    found = re.search(r"\w\(\s*([A-Za-z_]\w*)\s*\)", linecache.getline(*call.site))
    return found[1] if found else "arg"
