"""Running one scenario in the learner's process, and what that process can tell about it.

The learner's coroutine runs in its own task on a fresh event loop, under the budget. The moment it
returns (or raises) the result is encoded and sent, so the witness stamps the return on its own
clock; only then are leftovers looked for. What this side adds is testimony for the messages, never
for points: the lines that called time.sleep on the loop, coroutines dropped without an await (with
the line that made them), tasks still pending after the function returned, the learner's traceback,
and an in-process heartbeat's longest stall (used only where the kernel cannot be asked).

Imports the testkit's clock, feedback and watch, and the witness's remote and values.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import linecache
import sys
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.testkit import clock
from grader.testkit.feedback import explain_exception, learner_traceback
from grader.testkit.watch import TRIPWIRE, Heartbeat
from grader.witness import remote
from grader.witness.values import encode

GRACE = 0.05  # seconds a leftover task gets to finish on its own before it counts as leaked
ORIGIN_DEPTH = 8  # frames remembered per coroutine: enough to get past asyncio and the testkit
_ASYNCIO_DIR = str(Path(asyncio.__file__).parent)
_KIT_DIR = str(Path(__file__).parent.parent)


class RemoteAttempt:
    """What a scenario builds its services from, in the learner's process: each service is the one
    the witness declared at the same position, so the latencies and answers are the witness's."""

    def __init__(self, channel: remote.Channel, trial: int, declared: list[dict[str, Any]]) -> None:
        self._channel, self._trial, self._declared = channel, trial, declared
        self._next = 0
        self.origin = clock.now()

    def _take(self, name: str, kind: str) -> int:
        index = self._next
        if index >= len(self._declared) or self._declared[index] != {"name": name, "kind": kind}:
            raise RuntimeError(f"the scenario asked for service {name!r} ({kind}) where the witness "
                               f"declared {self._declared[index] if index < len(self._declared) else None}")
        self._next += 1
        return index

    def service(self, name: str = "fetch", latency: Any = None, *, fails: Any = None) -> Any:
        return remote.async_service(self._channel, self._trial, self._take(name, "async"), name)

    def blocking_service(self, name: str = "lookup", latency: Any = None, *, fails: Any = None) -> Any:
        return remote.blocking_service(self._channel, self._trial, self._take(name, "blocking"), name)

    def probe(self, name: str, answer: Any = None) -> Any:
        return remote.probe(self._channel, self._trial, self._take(name, "probe"), name)

    def recorder(self, name: str = "report") -> Any:
        return remote.recorder(self._channel, self._trial, name)


def run_scenario(channel: remote.Channel, trial: int, scenario: Callable[[Any], Any],
                 declared: list[dict[str, Any]], budget: float) -> dict[str, Any]:
    """Run it; send 'returned' the moment the learner's code is done; return the testimony."""
    testimony: dict[str, Any] = {"sleeps": [], "unawaited": [], "leftover": [], "stall": 0.0,
                                 "traceback": [], "loop_patched": []}
    depth = sys.get_coroutine_origin_tracking_depth()
    sys.set_coroutine_origin_tracking_depth(ORIGIN_DEPTH)  # so a dropped coroutine names its line
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            with asyncio.Runner() as runner:
                runner.run(_observe(channel, trial, scenario, declared, budget, testimony))
            gc.collect()
    finally:
        sys.set_coroutine_origin_tracking_depth(depth)
    testimony["unawaited"] = [_never_awaited(w) for w in caught if "was never awaited" in str(w.message)]
    return testimony


async def _observe(channel: remote.Channel, trial: int, scenario: Callable[[Any], Any],
                   declared: list[dict[str, Any]], budget: float, testimony: dict[str, Any]) -> None:
    heartbeat = Heartbeat()
    heartbeat.start()
    await clock.pause(0)  # the heartbeat must be beating before the learner's code runs
    TRIPWIRE.calls = []
    TRIPWIRE.recording = True
    try:
        await _run_learner(channel, trial, scenario, RemoteAttempt(channel, trial, declared), budget,
                           testimony)
    finally:
        TRIPWIRE.recording = False
        testimony["sleeps"] = [[s.seconds, s.filename, s.line_no, s.code] for s in TRIPWIRE.calls]
        testimony["stall"] = await heartbeat.stop()
    testimony["loop_patched"] = sorted(set(vars(asyncio.get_running_loop()))
                                       & {"time", "call_later", "call_at", "_run_once"})
    testimony["leftover"] = await _collect_leftovers(heartbeat)


async def _run_learner(channel: remote.Channel, trial: int, scenario: Callable[[Any], Any],
                       attempt: RemoteAttempt, budget: float, testimony: dict[str, Any]) -> None:
    returned: dict[str, Any] = {"kind": "returned", "trial": trial}
    deadline: asyncio.Timeout | None = None
    stopped: list[bool] = []
    loop = asyncio.get_running_loop()
    try:
        awaitable = scenario(attempt)
        if inspect.isawaitable(awaitable):
            task = asyncio.ensure_future(awaitable)

            def stop() -> None:  # the witness's own budget ran out first
                stopped.append(True)
                loop.call_soon_threadsafe(task.cancel)

            channel.on_stop = stop
            async with asyncio.timeout(budget) as deadline:
                returned["result"] = encode(await task)
        else:  # a plain function gave its value back directly: there is nothing to await
            returned["result"] = encode(awaitable)
            returned["not_awaitable"] = type(awaitable).__name__
    except (Exception, asyncio.CancelledError) as exc:
        if stopped or (isinstance(exc, TimeoutError) and deadline is not None and deadline.expired()):
            returned["timed_out"] = True
        else:
            returned["error"] = encode(exc)
            testimony["traceback"] = _learner_frames(exc)
            testimony["explained"] = _explained(exc)
    finally:
        channel.on_stop = lambda: None  # drop the task: what it holds is collected while warnings count
    channel.send(returned)


def _explained(error: BaseException) -> list[str]:
    """The diagnosis of the exception, made here where its traceback (and the values in its frames)
    can be read, with the learner's part of the traceback: words for the message, nothing more."""
    try:
        mistake = explain_exception(error)
        return [mistake.code, mistake.happened, mistake.expected, mistake.next_step,
                learner_traceback(error)]
    except Exception:
        return []


def _learner_frames(error: BaseException) -> list[list[Any]]:
    """The frames of the learner's own files in the error's traceback: [file, line, function, code]."""
    frames = traceback.extract_tb(error.__traceback__)
    return [[f.filename, f.lineno, f.name, (f.line or "").strip()] for f in frames
            if not f.filename.startswith((_KIT_DIR, _ASYNCIO_DIR, sys.prefix, sys.base_prefix))]


def _never_awaited(warning: warnings.WarningMessage) -> str:
    """The warning's first line, plus where the coroutine was made when that is known:
    coroutine 'sleep' was never awaited (created at solution.py, line 9: `asyncio.sleep(1)`)
    """
    first = str(warning.message).splitlines()[0]
    for filename, line_no, _function in getattr(warning.source, "cr_origin", None) or ():
        if not filename.startswith((_ASYNCIO_DIR, _KIT_DIR)):
            code = linecache.getline(filename, line_no).strip()
            return f"{first} (created at {Path(filename).name}, line {line_no}: `{code}`)"
    return first


async def _collect_leftovers(heartbeat: Heartbeat) -> list[str]:
    """Tasks still pending after a short grace: described for the messages, then cancelled. With
    no task pending and nothing scheduled, nothing can start one: the grace is skipped."""
    me = asyncio.current_task()

    def pending() -> list[asyncio.Task[Any]]:
        return [t for t in asyncio.all_tasks() if t is not me and t is not heartbeat.task
                and not t.done()]

    await clock.pause(0)
    if pending() or _anything_scheduled(asyncio.get_running_loop()):
        await clock.pause(GRACE)
    left = pending()
    described = [_describe(t) for t in left]
    for task in left:
        task.cancel()
    if left:
        await asyncio.wait(left, timeout=1.0)
    return described


def _anything_scheduled(loop: asyncio.AbstractEventLoop) -> bool:
    """A timer or callback still due (one could start a task); True where the loop cannot tell."""
    scheduled = getattr(loop, "_scheduled", None)
    ready = getattr(loop, "_ready", None)
    if scheduled is None or ready is None:
        return True
    return bool(ready) or any(not handle.cancelled() for handle in scheduled)


def _describe(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    name = getattr(coro, "__qualname__", None) or type(coro).__name__
    return f"task {task.get_name()} running {name}()"
