"""Gradescope's results.json (gradescope/autograder_samples docs/specs.md; reference section 2).

One Gradescope test per kit test, named "<challenge id>: <test>", numbered "<challenge>.<test>" so
Gradescope keeps the kit's order, with its score, max_score, status passed/failed and the failure
message as output. A challenge that could not be graded at all (missing file, crash, timeout before
any test reported) is one failed test worth the challenge's points, its reason as output. The
top-level score is the kit's own total, and the tests' scores always add up to it.

Learner-controlled strings (test names, messages, diagnosis codes) pass through plain_text: names
and tags on one line, outputs with only their own line breaks, no control character, no lone
surrogate (which would make the file unwritable as UTF-8), so results.json always stays valid.
Imports grader.model and grader.report's terminal and plain_text.
"""

from __future__ import annotations

import json
from typing import Any

from grader.model import ChallengeResult, GradeReport, Status
from grader.report import terminal
from grader.report.plain_text import lines, one_line

OUTPUT_FORMAT = "text"  # our messages contain < and > (timelines); never let them be read as HTML


def render(report: GradeReport) -> str:
    return json.dumps(results(report), indent=2, ensure_ascii=False) + "\n"


def results(report: GradeReport) -> dict[str, Any]:
    tests = [t for c in report.challenges for t in _tests(c)]
    return {
        "score": report.score,
        "execution_time": round(sum(c.duration for c in report.challenges), 3),
        "output": terminal.table(report),
        "output_format": OUTPUT_FORMAT,
        "test_output_format": OUTPUT_FORMAT,
        "tests": tests,
        "extra_data": {"grader_version": report.grader_version, "time_scale": report.time_scale,
                       "diagnoses": {one_line(c.id): [one_line(d) for d in c.diagnoses]
                                     for c in report.challenges}},
    }


def crashed(problem: str) -> dict[str, Any]:
    """What a submission gets when the grader itself could not finish: zero, and why."""
    return {"score": 0.0, "output": f"The autograder could not grade this submission: {problem}\n"
            "This is a problem with the autograder, not with your code; tell your instructor.",
            "output_format": OUTPUT_FORMAT, "tests": []}


def _tests(result: ChallengeResult) -> list[dict[str, Any]]:
    number = int(result.id[:2]) if result.id[:2].isdigit() else 0
    entries = []
    for i, test in enumerate(result.tests, 1):
        earned = test.status is Status.PASSED and test.score >= test.max_score
        output = "" if earned else (test.message if test.status is not Status.PASSED
                                    else result.reason)
        entries.append(_entry(result, f"{result.id}: {test.name}", f"{number}.{i}", test.score,
                              test.max_score, earned, output, test.diagnosis))
    missing = result.max_score - sum(t.max_score for t in result.tests)
    if missing > 1e-9 or not result.tests:
        name = (f"{result.id}: tests that did not run" if result.tests
                else f"{result.id}: {result.title}")
        entries.append(_entry(result, name, f"{number}.{len(result.tests) + 1}", 0.0, missing, False,
                              result.reason or "These tests did not report a result.", None))
    return entries


def _entry(result: ChallengeResult, name: str, number: str, score: float, max_score: float,
           passed: bool, output: str, diagnosis: str | None) -> dict[str, Any]:
    if not passed and result.reason and output != result.reason:
        output = f"{output.rstrip()}\n\n{result.reason}".strip()
    entry: dict[str, Any] = {"name": one_line(name), "number": number, "score": score,
                             "max_score": max_score, "status": "passed" if passed else "failed",
                             "output": lines(output)}
    codes = [diagnosis] if diagnosis else list(result.diagnoses if not passed else ())
    if codes:
        entry["tags"] = [one_line(code) for code in codes]
    return entry
