"""Mistake: the one way a challenge test reports a named, explained failure.

Every message has the same three parts a learner needs: what happened (with the measured figures),
what was expected, and one next step. An optional block (a timeline, say) follows. Also here: turning
an exception that escaped the learner's code into a Mistake (explain_exception, with the known
shapes of shapes.py), and the learner's part of a traceback (learner_traceback).

Imports the testkit's diagnoses and shapes only.
"""

from __future__ import annotations

import asyncio
import linecache
import re
import traceback
from pathlib import Path

from grader.testkit.diagnoses import get
from grader.testkit.shapes import recognise

NESTED_RUN_MESSAGES = (
    "asyncio.run() cannot be called from a running event loop",
    "Runner.run() cannot be called from a running event loop",
    "This event loop is already running",
    "Cannot run the event loop while another loop is running",
)

# Solution files loaded in this process, so messages can point at the learner's own lines.
SOLUTION_FILES: set[Path] = set()


class Mistake(AssertionError):
    """A failed check with a diagnosis code. Raised by testkit checks and challenge tests."""

    def __init__(self, code: str, happened: str, expected: str, next_step: str | None = None,
                 details: str = "") -> None:
        self.code = get(code).code  # validates the code
        self.happened = happened
        self.expected = expected
        self.next_step = next_step or get(code).hint
        self.details = details
        super().__init__(self.render())

    def render(self) -> str:
        lines = [self.happened, f"Expected: {self.expected}", f"Next step: {self.next_step}"]
        if self.details:
            lines += ["", self.details.rstrip()]
        return "\n".join(lines)


def _learner_frames(exc: BaseException, solution: Path | None) -> list[traceback.FrameSummary]:
    """The traceback's frames that ran in the solution file (or any solution loaded here)."""
    files = {solution} if solution is not None else SOLUTION_FILES
    return [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) in files]


def _code(frame: traceback.FrameSummary) -> str:
    return (frame.line or linecache.getline(frame.filename, frame.lineno or 0)).strip()


def where_in_solution(exc: BaseException, solution: Path | None) -> str:
    """' (solution.py, line 7: `x = 1 / 0`)' for the deepest frame inside the solution, or ''."""
    ours = _learner_frames(exc, solution)
    if not ours:
        return ""
    return f" ({Path(ours[-1].filename).name}, line {ours[-1].lineno}: `{_code(ours[-1])}`)"


def learner_traceback(exc: BaseException, solution: Path | None = None) -> str:
    """The learner's part of exc's traceback: only frames in the solution file, with line numbers
    and code, then the exception; '' when none of its frames ran in the solution.

    The frames of asyncio, the grader and the test are left out on purpose: a learner can act only
    on their own lines, and a page of library frames hides them.
    """
    body = _learner_part(exc, solution)
    return "\n".join(["Traceback (your code only, most recent call last):", *body]) if body else ""


def _learner_part(exc: BaseException, solution: Path | None) -> list[str]:
    """The frame and exception lines of exc; an ExceptionGroup's own, then each inner one's."""
    inner = [_learner_part(e, solution) for e in getattr(exc, "exceptions", ())]
    ours = _learner_frames(exc, solution)
    if not ours and not any(inner):
        return []
    lines = []
    for frame in ours:
        lines.append(f"  {Path(frame.filename).name}, line {frame.lineno}, in {frame.name}")
        if _code(frame):
            lines.append(f"    {_code(frame)}")
    lines.append("".join(traceback.format_exception_only(exc)).splitlines()[0])
    for part in filter(None, inner):
        lines += ["  which holds:", *(f"  {line}" for line in part)]
    return lines


def explain_exception(exc: BaseException, solution: Path | None = None) -> Mistake:
    """Turn an exception that escaped the solution into a named Mistake."""
    if isinstance(exc, Mistake):
        return exc
    text = str(exc)
    if "from pytest-timeout" in text:
        limit = re.search(r"\(>([\d.]+)s\)", text)
        after = f" after {float(limit[1]):g} s" if limit else ""
        return Mistake("never-finished", f"Your code was still running{after} and was stopped"
                       f"{where_in_solution(exc, solution)}. The event loop never got control "
                       "back, so not even the grader's budget could interrupt it.",
                       "the function to finish in a few seconds",
                       "Look for a loop that never awaits, or a blocking call that never returns.")
    where = where_in_solution(exc, solution)
    if isinstance(exc, RuntimeError) and any(m in text for m in NESTED_RUN_MESSAGES):
        return _nested_run(text, where)
    for leaf in _leaves(exc):  # a TaskGroup wraps the real mistake in an ExceptionGroup
        shape = recognise(leaf, where_in_solution(leaf, solution) or where)
        if shape is not None:
            return Mistake(*shape)
    misuse, step = _awaitable_used_as_value(exc, text)
    if misuse:
        return Mistake("not-awaited", f"Your code {misuse}{where}: {type(exc).__name__}: "
                       f"{text.rstrip('.')}. Calling an async function (or gather, or create_task) "
                       "gives an awaitable; only `await` gives its result.",
                       "the value the awaitable produces, got with await", step)
    if isinstance(exc, TypeError) and text.startswith("An asyncio.Future, a coroutine or an awaitable"):
        return Mistake("raised", f"asyncio was handed a plain value where it needs an awaitable"
                       f"{where}: TypeError: {text}.", "coroutines passed to gather/create_task",
                       "Pass the call itself, `asyncio.gather(f(x), g(y))`, not `await f(x)`: "
                       "awaiting it first runs it to the end and leaves gather only its result.")
    if isinstance(exc, NotImplementedError):
        return Mistake("not-implemented", f"The function still raises NotImplementedError{where}.",
                       "your implementation in place of the TODO")
    return Mistake("raised", f"Your code raised {type(exc).__name__}: {text}{where}.",
                   "the function to return normally for this input")


def _leaves(exc: BaseException) -> list[BaseException]:
    """exc itself, or the exceptions an ExceptionGroup holds (depth first)."""
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in _leaves(inner)]
    return [exc]


def _nested_run(text: str, where: str) -> Mistake:
    """The four ways to start an event loop from code that a loop is already running."""
    if "asyncio.run()" in text:
        what = "called asyncio.run() inside a coroutine"
    elif "Runner.run()" in text:
        what = "called asyncio.Runner().run() inside a coroutine"
    elif "already running" in text:
        what = "called run_until_complete() on the event loop that was running your code"
    else:
        what = "tried to run a second event loop inside the one running your code"
    return Mistake("nested-run", f"Your code {what}{where}: RuntimeError: {text}. One thread runs "
                   "one event loop at a time, and yours was already busy running your code.",
                   "code that is already async gets the coroutine's result from the loop it is on",
                   "Inside a coroutine, get a coroutine's result the way async code gets every "
                   "result, not by starting a loop; the function that does it then becomes a "
                   "coroutine too, and so on up to the one place a loop starts: the program's "
                   "entry point.")


_TASK_STEP = "Write `value = await task` where you need the result: it waits for the task, then gives it."
_AWAITABLE_TYPES = {  # the names Python's error messages give these objects -> what the learner did
    "coroutine": ("used a coroutine object as if it were the value it produces", None),
    "_GatheringFuture": ("used what asyncio.gather() returns as if it were the list of results",
                         "Put `await` in front of gather: `a, b = await asyncio.gather(...)`."),
    "_asyncio.Task": ("used a Task as if it were its result", _TASK_STEP),
    "_asyncio.Future": ("used a Future as if it were its result", _TASK_STEP),
}
# 'coroutine', "coroutine", type coroutine, non-iterable coroutine: the type named as the culprit (not
# "a coroutine or an awaitable is required", which is about the opposite mistake).
_AWAITABLE_IN_MESSAGE = re.compile(r"""(?:['"]|type |non-iterable )"""
                                   r"(coroutine|_GatheringFuture|_asyncio\.Task|_asyncio\.Future)\b")


def _awaitable_used_as_value(exc: BaseException, text: str) -> tuple[str, str | None]:
    """How a coroutine, task or future that was not awaited got used as a value (and what to do
    instead), or ('', None).

    `len(coro)`, `coro.upper()`, `"x" + coro` raise TypeError/AttributeError naming the type;
    unpacking a future (`a, b = asyncio.gather(...)`) raises "await wasn't used with future", and
    asking an unfinished task for its result raises InvalidStateError.
    """
    if isinstance(exc, RuntimeError) and "await wasn't used with future" in text:
        return ("unpacked or looped over a task or future (what asyncio.gather and create_task "
                "return) as if it held the results", "Put `await` in front of it: `a, b = await "
                "asyncio.gather(...)`, `value = await task`.")
    if isinstance(exc, asyncio.InvalidStateError) and "Result is not set" in text:
        return ("asked a task for its result (task.result()) before the task had finished",
                "Write `value = await task` instead: it waits for the task to finish, then gives its "
                "result. Call task.result() only on a task that is done.")
    if isinstance(exc, TypeError | AttributeError):
        found = _AWAITABLE_IN_MESSAGE.search(text)
        if found:
            return _AWAITABLE_TYPES[found[1]]
    return "", None
