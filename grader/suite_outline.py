"""The tests a challenge's suite declares, read from its source without running it.

When a run reports nothing (no solution file, a crash before collection, a timeout) a report would
otherwise show the challenge as one nameless zero; CI dashboards (JUnit), Gradescope and Classroom
then lose the tests a student is missing. `complete` lists every declared test, the ones that never
reported as failed with the challenge's reason, in the suite's order.

The outline is what the pytest plugin would report: module-level `test_*` functions, titled by the
first line of their docstring (else the name without test_), worth their `@pytest.mark.points(n)`
(default 1), located at the first line of their decorators (pytest's 0-based location). A suite the
outline cannot read exactly (parametrized tests, classes, points that are not literals, a total
that differs from challenge.toml) gets no outline, and its results stay as the run left them.
Imports grader.catalog and grader.model.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from grader.catalog import Challenge
from grader.model import ChallengeResult, Status, TestOutcome

NOT_REPORTED = "This test did not report a result."


@dataclass(frozen=True)
class Declared:
    function: str
    title: str
    points: float
    line_no: int


def outline(challenge: Challenge) -> tuple[Declared, ...]:
    """The declared tests, or () when the suite cannot be read exactly."""
    try:
        found = _read(challenge.test_file, challenge.test_file.stat().st_mtime_ns)
    except OSError:
        return ()
    return found if abs(sum(d.points for d in found) - challenge.points) < 1e-9 else ()


@lru_cache(maxsize=64)
def _read(path: Path, _stamp: int) -> tuple[Declared, ...]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return ()
    declared = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            return ()  # the plugin would report methods the outline does not model
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not node.name.startswith(
                "test"):
            continue
        points = _points(node)
        if points is None:
            return ()
        doc = (ast.get_docstring(node) or "").strip()
        title = doc.splitlines()[0].rstrip(".") if doc else node.name.removeprefix("test_").replace(
            "_", " ")
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        declared.append(Declared(node.name, title, points, first - 1))
    return tuple(declared)


def _points(node: ast.FunctionDef | ast.AsyncFunctionDef) -> float | None:
    """The points marker's literal value (1 without one); None for anything the outline can't read."""
    points: float = 1
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = ast.unparse(call.func if call else decorator)
        if name.endswith("parametrize"):
            return None
        if name.endswith("mark.points"):
            if call is None or len(call.args) != 1 or not isinstance(call.args[0], ast.Constant):
                return None
            value = call.args[0].value
            if not isinstance(value, int | float) or isinstance(value, bool):
                return None
            points = value
    return points


def complete(challenge: Challenge, result: ChallengeResult) -> ChallengeResult:
    """The result with every declared test listed; those that never reported fail with its reason."""
    declared = outline(challenge)
    reported = {t.nodeid.rpartition("::")[2]: t for t in result.tests}
    if not declared or result.passed or all(d.function in reported for d in declared):
        return result
    module = f"{challenge.id}/{challenge.test_file.name}"
    why = result.reason or NOT_REPORTED
    code = result.diagnoses[0] if result.diagnoses else None
    tests = [reported.pop(d.function, None) or TestOutcome(
        name=d.title, status=Status.FAILED, score=0.0, max_score=d.points, message=why,
        diagnosis=code, nodeid=f"{module}::{d.function}", line_no=d.line_no) for d in declared]
    return replace(result, tests=(*tests, *reported.values()))
