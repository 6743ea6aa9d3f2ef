"""Text for people: the learner's check view and the grade table. Pure functions; colour is added
by the CLI with click.style, so these stay plain and testable."""

from __future__ import annotations

import textwrap

from grader.model import ChallengeResult, GradeReport, Status, TestOutcome
from grader.testkit.diagnoses import DIAGNOSES

MARK = {Status.PASSED: "✓", Status.FAILED: "✗", Status.ERROR: "!", Status.TIMEOUT: "⏱",
        Status.SKIPPED: "-"}


def points(value: float) -> str:
    return f"{value:g}"


def headline(result: ChallengeResult) -> str:
    return (f"{MARK[result.status]} {result.id}  {result.title}: {result.status} "
            f"({points(result.score)}/{points(result.max_score)} points, {result.duration:.1f} s)")


def check_view(result: ChallengeResult, verbose: bool = False) -> str:
    """Everything a learner needs after `grader check`: each test, each failure explained."""
    lines = [headline(result)]
    if result.reason:
        lines.append(textwrap.indent(result.reason, "    "))
    for test in result.tests:
        lines.append(_test_line(test))
        if test.status not in (Status.PASSED, Status.SKIPPED) and test.message and not _repeat(
                test, result):
            lines.append(textwrap.indent(test.message.rstrip(), "      "))
    if not result.passed:
        lines.append("")
        lines.append(next_step(result))
    if verbose and result.output.strip():
        lines += ["", "What the test run printed:", textwrap.indent(result.output.rstrip(), "  | ")]
    return "\n".join(lines)


def _test_line(test: TestOutcome) -> str:
    tag = f"  [{test.diagnosis}]" if test.diagnosis else ""
    return (f"  {MARK[test.status]} {test.name} "
            f"({points(test.score)}/{points(test.max_score)}){tag}")


def _repeat(test: TestOutcome, result: ChallengeResult) -> bool:
    """True when an earlier test already showed this very message (one cause, many tests)."""
    earlier = result.tests[: result.tests.index(test)]
    return any(t.message == test.message for t in earlier if t.status is not Status.PASSED)


def next_step(result: ChallengeResult) -> str:
    codes = result.diagnoses or ("raised",)
    diagnosis = DIAGNOSES.get(codes[0])
    title = (f"Diagnosis: {diagnosis.title} ({diagnosis.code}); `grader explain {diagnosis.code}` "
             "shows the idea with an example." if diagnosis else "")
    return (f"{title}\nStuck? `grader hint {int(result.id[:2])}` shows a hint; edit "
            f"challenges/{result.id}/solution.py and check again.").strip()


def table(report: GradeReport) -> str:
    """The grade table: one row per challenge, then the total."""
    rows = [(c.id, c.title, str(c.status), f"{points(c.score)}/{points(c.max_score)}",
             ", ".join(c.diagnoses)) for c in report.challenges]
    header = ("challenge", "title", "status", "points", "diagnoses")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*row).rstrip() for row in rows]
    passed = sum(c.passed for c in report.challenges)
    lines.append("")
    lines.append(f"Total: {points(report.score)}/{points(report.max_score)} points; "
                 f"{passed} of {len(report.challenges)} challenges passed.")
    if report.submission:
        lines.insert(0, f"Submission: {report.submission}\n")
    return "\n".join(lines) + "\n"
