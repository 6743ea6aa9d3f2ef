"""GitHub Classroom: one step output per challenge, shaped exactly as the stock reporter reads it.

The reporter (classroom-resources/autograding-grading-reporter@v1; facts in
reference/result-protocols.md section 1.6) gets, per runner id named in its `runners` input, an env
var `<ID>_RESULTS` = base64 of {"version": 1, "status", "max_score", "tests": [...]}. It shows three
figures that must all equal the kit's points:
- Classroom records sum(tests[].score) over the runners with a max_score;
- its console table shows (tests with status "pass" / all tests) x max_score;
- its last line says "Grand total tests passed: <pass entries>/<all entries>".
So every entry of `tests` is worth exactly one point: a kit test worth 4 of a challenge's 10 points
becomes 4 one-point entries (the first carries the name and the reason, the rest say "part 2/4"),
and "tests passed 46/150" reads as 46 of 150 points. (Entries of 2 points, where every weight is
even, kept the first two figures right but made the third say 45/140 beside 46/150 points.)
Fractional weights are first turned into whole points with the largest-remainder rule. The
reporter prints a failed entry's name and `test_code` but never its `message`, so the reason (what
happened, next step) goes in `test_code`; every string passes through `neutralise` because the
reporter prints them into the job log.

Runner ids are "c" + the challenge number and slug without underscores (02_three_fetches ->
c02threefetches): the reporter accepts only letters and digits, the number keeps ids unique and in
kit order, the leading letter keeps `C02THREEFETCHES_RESULTS` a valid variable name, and the slug
keeps the reporter's table readable.

Imports grader.model and grader.report's terminal and workflow_text.
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from grader.model import ChallengeResult, GradeReport, Status
from grader.report import terminal
from grader.report.workflow_text import neutralise

PAYLOAD_VERSION = 1
REASON_CAP = 700   # characters of reason per entry: outputs are capped at 1 MB per job
TOP_STATUS = {Status.PASSED: "pass", Status.FAILED: "fail", Status.SKIPPED: "fail",
              Status.ERROR: "error", Status.TIMEOUT: "error", Status.INCONCLUSIVE: "error"}


def runner_id(challenge_id: str) -> str:
    return "c" + re.sub(r"[^a-z0-9]", "", challenge_id.lower())


def render(report: GradeReport) -> str:
    """`<runner id>=<base64 JSON>` lines for $GITHUB_OUTPUT (base64 has no newline to escape)."""
    ids = [runner_id(c.id) for c in report.challenges]
    if len(set(ids)) != len(ids):
        raise ValueError(f"two challenges share a Classroom runner id: {ids}")
    return "".join(f"{rid}={encode(payload(c))}\n" for rid, c in zip(ids, report.challenges,
                                                                   strict=True))


def encode(data: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(data, ensure_ascii=False).encode("utf-8")).decode("ascii")


@dataclass(frozen=True)
class _Part:
    """A kit test (or a stand-in for tests that never reported) before it is cut into entries."""

    name: str
    weight: float
    earned: float      # fraction of the weight earned, 0..1
    status: str        # pass | fail | error
    why: str
    line_no: int = 0
    filename: str = ""


def payload(result: ChallengeResult) -> dict[str, Any]:
    """The runner result of one challenge: one-point entries, as many as the challenge's points."""
    parts = _parts(result)
    total = round(result.max_score)
    shares = allocate([p.weight for p in parts], total)
    entries: list[dict[str, Any]] = []
    shown: set[str] = set()
    for part, share in zip(parts, shares, strict=True):
        if share or not total:  # a part worth no whole point would skew the reporter's table
            entries += _entries(part, share, shown)
    _add_next_step(entries, result)
    return {"version": PAYLOAD_VERSION, "status": TOP_STATUS[result.status], "max_score": total,
            "tests": entries}


def allocate(weights: list[float], total: int) -> list[int]:
    """Whole numbers proportional to weights, summing to total (largest-remainder rule)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    quotas = [w / whole * total for w in weights]
    shares = [math.floor(q + 1e-9) for q in quotas]
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _parts(result: ChallengeResult) -> list[_Part]:
    verdict = result.reason or "This test's points were withheld for the whole challenge."
    parts = []
    for test in result.tests:
        earned = test.score / test.max_score if test.max_score > 0 else 0.0
        if test.status is Status.PASSED and earned >= 1 - 1e-9:
            status, why = "pass", ""
        else:
            status = "error" if test.status in (Status.ERROR, Status.TIMEOUT) else "fail"
            why = verdict if test.status is Status.PASSED else (test.message or verdict)
        parts.append(_Part(name=test.name, weight=test.max_score, earned=earned, status=status,
                           why=why, line_no=test.line_no + 1 if test.line_no > 0 else 0,
                           filename=_filename(test.nodeid)))
    missing = result.max_score - sum(t.max_score for t in result.tests)
    if missing > 1e-9 or not parts:
        name = "tests that did not run" if result.tests else f"{result.title}: not graded"
        status = "error" if result.status in (Status.ERROR, Status.TIMEOUT) else "fail"
        parts.append(_Part(name=name, weight=max(missing, 0.0), earned=0.0, status=status,
                           why=result.reason or "These tests did not report a result."))
    return parts


def _entries(part: _Part, share: int, shown: set[str]) -> list[dict[str, Any]]:
    count = share or 1
    earned = round(part.earned * count) if share else 0
    why = _short(part.why)
    if why and why in shown:
        why = "Same cause as above."  # one cause failing several tests is explained once
    shown.add(why)
    label = f"{part.name} ({terminal.points(part.weight)} point{'s' if part.weight != 1 else ''}"
    entries = []
    for k in range(count):
        name = neutralise(f"{label}{f', part {k + 1}/{count}' if count > 1 else ''})")
        passed = k < earned
        status = "pass" if passed else ("fail" if part.status == "pass" else part.status)
        entry: dict[str, Any] = {"name": name, "status": status, "score": 1 if passed else 0,
                                 "line_no": part.line_no, "filename": neutralise(part.filename),
                                 "test_code": why if k == earned else ""}
        if status == "error":
            entry["message"] = name  # the reporter prints "Error: <message>" instead of the name
        elif status == "fail":
            entry["message"] = why.splitlines()[0] if why else ""
        entries.append(entry)
    return entries


def _short(text: str) -> str:
    """The first paragraph (what happened, expected, next step), without a timeline; neutralised."""
    first = neutralise(text.strip().split("\n\n")[0])  # the kit's blank line, before escaping
    return first if len(first) <= REASON_CAP else first[: REASON_CAP - 1].rstrip() + "…"


def _add_next_step(entries: list[dict[str, Any]], result: ChallengeResult) -> None:
    """Point at the full local report once, after the first reason shown."""
    number = str(int(result.id[:2])) if result.id[:2].isdigit() else result.id
    for entry in entries:
        if entry["test_code"] and entry["status"] != "pass":
            entry["test_code"] += f"\nMore detail: run `grader check {number}` on your computer."
            return


def _filename(nodeid: str) -> str:
    return f"challenges/{nodeid.split('::')[0]}" if nodeid else ""


def summary(report: GradeReport) -> str:
    """The short human summary the grading step prints, safe for the job log."""
    each = ", ".join(f"{runner_id(c.id)} {terminal.points(c.score)}/{terminal.points(c.max_score)}"
                     for c in report.challenges)
    return neutralise(f"GitHub Classroom: {len(report.challenges)} results for the Autograding "
                      f"Reporter ({each}).\nTotal: {terminal.points(report.score)}/"
                      f"{terminal.points(report.max_score)} points, as Classroom records them; the "
                      f"reporter lists one test per point, so its \"tests passed\" is the same "
                      f"figure.") + "\n"
