"""A Python model of the stock GitHub Classroom reporter and of the runner reading its log.

classroom-resources/autograding-grading-reporter@v1 as reference/result-protocols.md 1.6 documents
it (each fact there verified by running the real v1 bundle):
- main.js: runner ids = the `runners` input split on commas and whitespace; for each, the env var
  `<ID trimmed, upper-cased>_RESULTS`, base64-decoded as UTF-8, then JSON.parse; a missing variable
  or bad JSON fails the job.
- console-results.js: per test "✅ name" (pass), "Error: message" (error) or "❌ name" (anything
  else), " - line N" unless line_no is 0, then "Test code:" and test_code when it is truthy;
  "Total points for <id>: <score>/<max>" when max_score is not 0; at the end of the summary,
  "Grand total tests passed: <entries with status pass>/<all entries>".
- the console table's score per runner: (tests with status "pass" / tests) x max_score (v1); an
  older test-helpers.js summed tests[].score instead, so both are computed here.
- notify-classroom.js: Points = sum of tests[].score over runners with a truthy max_score; the
  maximum = sum of those max_score; two ::notice annotations unless the maximum is 0.
- setFailed("Some tests failed.") if any top-level status is "fail", else "Some tests errored."
The runner then reads every printed line as a possible workflow command (grader/report/
workflow_text.py explains the rule); `commands` lists the lines it would act on.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any

from grader.report.workflow_text import is_command

RUNNERS_PATTERN = re.compile(r"^([a-zA-Z0-9]+,)*[a-zA-Z0-9]+$")  # main.js's catch block


class ReporterFailed(Exception):
    """The reporter would exit 1 before printing any score (a missing or undecodable result)."""


@dataclass
class Reporter:
    printed: list[str] = field(default_factory=list)
    table: dict[str, float] = field(default_factory=dict)          # v1: pass count x max / tests
    table_by_score: dict[str, float] = field(default_factory=dict)  # older: sum of scores
    tests_passed: int = 0             # "Grand total tests passed: tests_passed/tests_total"
    tests_total: int = 0
    points: float | None = None       # what Classroom records (None: no annotation emitted)
    max_points: float | None = None
    failed: str | None = None

    @property
    def lines(self) -> list[str]:
        """The physical lines the runner sees (it splits on \\r as well as \\n)."""
        return [line for text in self.printed for line in re.split(r"\r\n|\r|\n", text)]

    def commands(self) -> list[str]:
        return [line for line in self.lines if is_command(line)]


def js_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def run(env: dict[str, str], runners: str) -> Reporter:
    out = Reporter()
    decoded: list[tuple[str, dict[str, Any]]] = []
    for runner in (r for r in re.split(r"[\s,]", runners) if r):
        encoded = env.get(f"{runner.strip().upper()}_RESULTS")
        if encoded is None:
            raise ReporterFailed(f"no {runner.upper()}_RESULTS (runners valid: "
                                 f"{bool(RUNNERS_PATTERN.match(runners))})")
        try:
            decoded.append((runner, json.loads(base64.b64decode(encoded).decode("utf-8"))))
        except ValueError as exc:
            raise ReporterFailed(str(exc)) from exc
    for runner, results in decoded:
        _console(out, runner, results)
    out.tests_total = sum(len(results["tests"]) for _, results in decoded)
    out.tests_passed = sum(t["status"] == "pass" for _, results in decoded for t in results["tests"])
    out.printed.append(f"🏆 Grand total tests passed: {out.tests_passed}/{out.tests_total}")
    _notify(out, decoded)
    statuses = {results.get("status") for _, results in decoded}
    if "fail" in statuses:
        out.failed = "Some tests failed."
    elif "error" in statuses:
        out.failed = "Some tests errored."
    if out.failed:
        out.printed.append(f"::error::{out.failed}")
    return out


def _console(out: Reporter, runner: str, results: dict[str, Any]) -> None:
    tests = results["tests"]
    out.printed.append(f"🔄 Processing: {runner}")
    for test in tests:
        line = "" if test.get("line_no") == 0 else f" - line {test.get('line_no')}"
        if test["status"] == "pass":
            out.printed.append(f"✅ {test['name']}{line}")
        elif test["status"] == "error":
            out.printed.append(f"Error: {test.get('message') or 'Failed to run test ' + test['name']}")
        else:
            out.printed.append(f"❌ {test['name']}{line}")
        if test.get("test_code"):
            out.printed.append("Test code:")
            out.printed.append(test["test_code"])
    max_score = results.get("max_score") or 0
    passed = sum(t["status"] == "pass" for t in tests)
    out.table[runner] = passed / len(tests) * max_score if tests else float("nan")
    out.table_by_score[runner] = sum(t["score"] for t in tests)
    if max_score:
        out.printed.append(f"Total points for {runner}: {out.table[runner]:.2f}/{max_score}")


def _notify(out: Reporter, decoded: list[tuple[str, dict[str, Any]]]) -> None:
    total = maximum = 0.0
    for _, results in decoded:
        if not results.get("max_score"):
            continue
        maximum += results["max_score"]
        total += sum(t["score"] for t in results["tests"])
    if not maximum:
        return
    out.points, out.max_points = total, maximum
    out.printed.append(f"::notice title=Autograding complete::Points {js_number(total)}/"
                       f"{js_number(maximum)}")
    report = f'{{"totalPoints":{js_number(total)},"maxPoints":{js_number(maximum)}}}'  # JSON.stringify
    out.printed.append(f"::notice title=Autograding report::{report}")


def own_commands(reporter: Reporter) -> list[str]:
    """The commands the reporter itself means to send: its two notices and its failure."""
    mine = []
    if reporter.points is not None:
        mine += [line for line in reporter.printed if line.startswith("::notice title=Autograding ")]
    if reporter.failed:
        mine.append(f"::error::{reporter.failed}")
    return mine


def outputs_file(text: str) -> dict[str, str]:
    """Parse a $GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            outputs[name] = "\n".join(body)
        elif line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs
