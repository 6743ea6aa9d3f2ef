"""Mistake: the one way a challenge test reports a named, explained failure.

Every message has the same three parts a learner needs: what happened (with the measured figures),
what was expected, and one next step. An optional block (a timeline, say) follows.
"""

from __future__ import annotations

import linecache
import re
import traceback
from pathlib import Path

from grader.testkit.diagnoses import get

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


def where_in_solution(exc: BaseException, solution: Path | None) -> str:
    """' (solution.py, line 7: `x = 1 / 0`)' for the deepest frame inside the solution, or ''."""
    frames = traceback.extract_tb(exc.__traceback__)
    files = {solution} if solution is not None else SOLUTION_FILES
    ours = [f for f in frames if Path(f.filename) in files]
    if not ours:
        return ""
    frame = ours[-1]
    code = (frame.line or linecache.getline(frame.filename, frame.lineno or 0)).strip()
    return f" ({Path(frame.filename).name}, line {frame.lineno}: `{code}`)"


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
        return Mistake("nested-run", f"Your code called asyncio.run() while a loop was already "
                       f"running{where}: RuntimeError: {text}.",
                       "code that is already async awaits the coroutine directly")
    if isinstance(exc, NotImplementedError):
        return Mistake("not-implemented", f"The function still raises NotImplementedError{where}.",
                       "your implementation in place of the TODO")
    if isinstance(exc, TypeError) and "can't be used in 'await' expression" in text:
        return Mistake("not-async", f"Something that is not awaitable was awaited{where}: {text}.",
                       "await only coroutines, tasks and futures; define the function with async def")
    return Mistake("raised", f"Your code raised {type(exc).__name__}: {text}{where}.",
                   "the function to return normally for this input")
