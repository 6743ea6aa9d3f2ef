"""Text for people: the learner's check view and the grade table. Pure functions of the model and
a width; colour is added by the CLI with click.style, so these stay plain and testable.

Every string that came out of a run (test names, messages, timelines, diagnosis codes, what the
solution printed) passes through plain_text first, so none can move the cursor, start a forged row
or total, or hide text; only then is it fitted to the width. A test that passed but earned nothing
(the whole challenge was zeroed) never shows a tick: it is marked "○" and says why.
Imports grader.model, grader.testkit.diagnoses, grader.report.plain_text and grader.report.fit.
"""

from __future__ import annotations

import re
import textwrap

from grader.model import ChallengeResult, GradeReport, Status, TestOutcome
from grader.report.fit import fit
from grader.report.plain_text import lines, one_line
from grader.testkit.diagnoses import DIAGNOSES

MARK = {Status.PASSED: "✓", Status.FAILED: "✗", Status.ERROR: "!", Status.TIMEOUT: "⏱",
        Status.SKIPPED: "-", Status.INCONCLUSIVE: "?"}
UNCOUNTED = "○"  # a test that passed in a run that, as a whole, scored zero: not a tick
UNCOUNTED_BECAUSE = {"tampering": "the challenge as a whole scored zero for tampering (see above)",
                     "edited-tests": "the tests were edited, so the challenge scores zero",
                     "crashed": "the test run did not finish, so nothing it reported counts"}
WIDTH = 80  # columns when the caller does not say (the CLI passes the terminal's)


def points(value: float) -> str:
    return f"{value:g}"


def headline(result: ChallengeResult) -> str:
    return (f"{MARK[result.status]} {one_line(result.id)}  {one_line(result.title)}: {result.status} "
            f"({points(result.score)}/{points(result.max_score)} points, {result.duration:.1f} s"
            f"{', measured again alone' if result.remeasured else ''})")


def check_view(result: ChallengeResult, verbose: bool = False, width: int = WIDTH,
               timelines: bool = False) -> str:
    """Everything a learner needs after `grader check`: each test, each failure explained once,
    fitted to width columns; timelines=True also shows what passing code did."""
    out = [fit(headline(result), width)]
    if result.reason:
        out.append(_indented(lines(result.reason), "    ", width))
    shown: set[str] = set()  # paragraphs and next steps already printed for this challenge
    for test in result.tests:
        out.append(fit(_test_line(test, result), width))
        failed = test.status not in (Status.PASSED, Status.SKIPPED)
        message, timeline = lines(test.message), lines(test.timeline)
        body = [*(_paragraphs(message) if failed else []),
                *(_paragraphs(timeline) if (failed or timelines) and timeline
                  and timeline.strip() not in message else [])]
        if body:
            out.append(_indented(_once(body, shown), "      ", width))
    if timelines and not any(t.timeline or "Timeline" in t.message for t in result.tests):
        out.append("  (No timeline was recorded for these tests, so there is none to show.)")
    if not result.passed and result.diagnoses != ("missing-file",):  # its reason says what to do
        out.append("")
        out.append(fit(next_step(result), width))
    if verbose and result.output.strip():
        out += ["", "What the test run printed:", textwrap.indent(lines(result.output.rstrip()),
                                                                  "  | ")]
    return "\n".join(out)


def _test_line(test: TestOutcome, result: ChallengeResult) -> str:
    tag = f"  [{one_line(test.diagnosis)}]" if test.diagnosis else ""
    mark = MARK[test.status]
    uncounted = ""
    if test.status is Status.PASSED and test.score < test.max_score:
        mark, uncounted = UNCOUNTED, f"  passed, but counts for nothing: {_why_uncounted(result)}"
    return (f"  {mark} {one_line(test.name)} "
            f"({points(test.score)}/{points(test.max_score)}){tag}{uncounted}")


def _why_uncounted(result: ChallengeResult) -> str:
    """Why a passing test earned no points: the challenge as a whole was zeroed (scoring.py)."""
    if result.status is Status.TIMEOUT:
        return "the run as a whole ran out of time (see above)"
    for code, why in UNCOUNTED_BECAUSE.items():
        if code in result.diagnoses:
            return why
    return "the challenge as a whole scored zero (see above)"


def _paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text.rstrip()) if p.strip()]


def _once(paragraphs: list[str], shown: set[str]) -> str:
    """The paragraphs without what an earlier test of the challenge already showed (one cause,
    many tests): whole paragraphs, and next steps, each printed once."""
    kept, dropped = [], []
    for paragraph in paragraphs:
        if paragraph in shown:
            dropped.append("timeline" if paragraph.startswith("Timeline") else "explanation")
            continue
        shown.add(paragraph)
        kept_lines = []
        for line in paragraph.splitlines():
            if line.startswith("Next step:") and line in shown:
                dropped.append("next step")
            else:
                shown.add(line)
                kept_lines.append(line)
        kept.append("\n".join(kept_lines))
    if dropped:
        what = " and ".join(dict.fromkeys(dropped))
        kept.append(f"(Same cause as above: its {what} {'is' if len(set(dropped)) == 1 else 'are'} "
                    f"shown there.)")
    return "\n\n".join(k for k in kept if k)


def _indented(text: str, prefix: str, width: int) -> str:
    return textwrap.indent(fit(text, max(width - len(prefix), 20)), prefix)


def next_step(result: ChallengeResult) -> str:
    codes = result.diagnoses or ("raised",)
    diagnosis = DIAGNOSES.get(codes[0])
    title = (f"Diagnosis: {diagnosis.title} ({diagnosis.code}); `grader explain {diagnosis.code}` "
             "shows the idea with an example." if diagnosis else "")
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
