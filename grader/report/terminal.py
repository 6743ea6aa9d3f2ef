"""Text for people: the learner's check view and the grade table. Pure functions; colour is added
by the CLI with click.style, so these stay plain and testable.

Every string that came out of a run (test names, messages, diagnosis codes, what the solution
printed) passes through plain_text first, so none can move the cursor, start a forged row or total,
or hide text. A test that passed but whose points were withheld (the whole challenge was zeroed)
never shows a tick: it is marked "○" and says why it earned nothing.
Imports grader.model, grader.testkit.diagnoses and grader.report.plain_text.
"""

from __future__ import annotations

import textwrap

from grader.model import ChallengeResult, GradeReport, Status, TestOutcome
from grader.report.plain_text import lines, one_line
from grader.testkit.diagnoses import DIAGNOSES

MARK = {Status.PASSED: "✓", Status.FAILED: "✗", Status.ERROR: "!", Status.TIMEOUT: "⏱",
        Status.SKIPPED: "-"}
WITHHELD = "○"  # passed, but the challenge's verdict took its points: never a tick beside zero


def points(value: float) -> str:
    return f"{value:g}"


def headline(result: ChallengeResult) -> str:
    return (f"{MARK[result.status]} {one_line(result.id)}  {one_line(result.title)}: {result.status} "
            f"({points(result.score)}/{points(result.max_score)} points, {result.duration:.1f} s)")


def check_view(result: ChallengeResult, verbose: bool = False) -> str:
    """Everything a learner needs after `grader check`: each test, each failure explained."""
    shown = [headline(result)]
    if result.reason:
        shown.append(textwrap.indent(lines(result.reason), "    "))
    for test in result.tests:
        shown.append(_test_line(test))
        if test.status not in (Status.PASSED, Status.SKIPPED) and test.message and not _repeat(
                test, result):
            shown.append(textwrap.indent(lines(test.message.rstrip()), "      "))
    if not result.passed:
        shown.append("")
        shown.append(next_step(result))
    if verbose and result.output.strip():
        shown += ["", "What the test run printed:", textwrap.indent(lines(result.output.rstrip()),
                                                                    "  | ")]
    return "\n".join(shown)


def _test_line(test: TestOutcome) -> str:
    tag = f"  [{one_line(test.diagnosis)}]" if test.diagnosis else ""
    withheld = test.status is Status.PASSED and test.score < test.max_score
    mark = WITHHELD if withheld else MARK[test.status]
    note = ": passed, but the whole challenge scored zero" if withheld else ""
    return (f"  {mark} {one_line(test.name)} "
            f"({points(test.score)}/{points(test.max_score)}{note}){tag}")


def _repeat(test: TestOutcome, result: ChallengeResult) -> bool:
    """True when an earlier test already showed this very message (one cause, many tests)."""
    earlier = result.tests[: result.tests.index(test)]
    return any(t.message == test.message for t in earlier if t.status is not Status.PASSED)


def next_step(result: ChallengeResult) -> str:
    codes = result.diagnoses or ("raised",)
    diagnosis = DIAGNOSES.get(codes[0])
    title = f"Diagnosis: {diagnosis.title} ({diagnosis.code})." if diagnosis else ""
    return (f"{title}\nStuck? `grader hint {int(result.id[:2])}` shows a hint; edit "
            f"challenges/{result.id}/solution.py and check again.").strip()


def table(report: GradeReport) -> str:
    """The grade table: one row per challenge, then the total."""
    rows = [(one_line(c.id), one_line(c.title), str(c.status),
             f"{points(c.score)}/{points(c.max_score)}", one_line(", ".join(c.diagnoses)))
            for c in report.challenges]
    header = ("challenge", "title", "status", "points", "diagnoses")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    shown = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    shown += [fmt.format(*row).rstrip() for row in rows]
    passed = sum(c.passed for c in report.challenges)
    shown.append("")
    shown.append(f"Total: {points(report.score)}/{points(report.max_score)} points; "
                 f"{passed} of {len(report.challenges)} challenges passed.")
    if report.submission:
        shown.insert(0, f"Submission: {one_line(report.submission)}\n")
    return "\n".join(shown) + "\n"
