"""From what a child run left behind to points: per-test weights, partial credit, and the guards.

A challenge's score is the sum of the points of its passing tests (so correct-but-sequential keeps
the correctness points). Zero for the whole challenge when: the run timed out, the results file is
missing or incomplete (whatever the exit code), the grader's functions were tampered with, or the run
passed faster than the simulated waiting it must contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grader.catalog import Challenge
from grader.model import ChallengeResult, Status, TestOutcome


@dataclass(frozen=True)
class RunRecord:
    """What the parent observed of one child run."""

    payload: dict[str, Any] | None
    returncode: int | None
    duration: float
    timed_out: bool = False
    output: str = ""
    note: str = ""


def score(challenge: Challenge, run: RunRecord, min_wait: float) -> ChallengeResult:
    tests = tuple(_outcome(t) for t in (run.payload or {}).get("tests", []))
    base = {"id": challenge.id, "title": challenge.title, "max_score": float(challenge.points),
            "duration": round(run.duration, 3), "output": run.output}
    if run.timed_out:
        return ChallengeResult(**base, score=0.0, status=Status.TIMEOUT, tests=_zeroed(tests),
                               diagnoses=("timeout",), reason=f"The tests were still running after "
                               f"{run.duration:.1f} s and were stopped. {run.note}".strip())
    if run.payload is None or not run.payload.get("complete"):
        return ChallengeResult(**base, score=0.0, status=Status.ERROR, tests=_zeroed(tests),
                               diagnoses=("crashed",), reason=_crash_reason(run))
    if not tests:
        return ChallengeResult(**base, score=0.0, status=Status.ERROR, diagnoses=("crashed",),
                               reason="No test ran: the suite could not be collected.")
    diagnoses = tuple(dict.fromkeys(t.diagnosis for t in tests if t.diagnosis))
    if "tampering" in diagnoses:
        return ChallengeResult(**base, score=0.0, status=Status.FAILED, tests=_zeroed(tests),
                               diagnoses=diagnoses, reason="The solution tampered with the grader; "
                               "the whole challenge scores zero.")
    earned = sum(t.score for t in tests)
    if all(t.status is Status.PASSED for t in tests):
        if run.duration < min_wait:
            return ChallengeResult(**base, score=0.0, status=Status.FAILED, tests=_zeroed(tests),
                                   diagnoses=("tampering",), reason=f"The tests passed in "
                                   f"{run.duration:.2f} s, but their simulated waiting alone takes "
                                   f"{min_wait:.2f} s: the clock was not honest.")
        return ChallengeResult(**base, score=earned, status=Status.PASSED, tests=tests)
    status = Status.ERROR if all(t.status is Status.ERROR for t in tests) else Status.FAILED
    return ChallengeResult(**base, score=earned, status=status, tests=tests, diagnoses=diagnoses)


def _outcome(raw: dict[str, Any]) -> TestOutcome:
    status = Status(raw.get("status", "error"))
    points = float(raw.get("points", 1))
    return TestOutcome(name=str(raw.get("name", "")), status=status, max_score=points,
                       score=points if status is Status.PASSED else 0.0,
                       message=str(raw.get("message") or ""), diagnosis=raw.get("diagnosis"),
                       duration=round(float(raw.get("duration", 0.0)), 3),
                       nodeid=str(raw.get("nodeid", "")), line_no=int(raw.get("line_no", 0)))


def _zeroed(tests: tuple[TestOutcome, ...]) -> tuple[TestOutcome, ...]:
    return tuple(TestOutcome(**{**t.__dict__, "score": 0.0}) for t in tests)


def _crash_reason(run: RunRecord) -> str:
    code = run.returncode
    how = f"exit code {code}" if code is not None and code >= 0 else f"signal {-(code or 0)}"
    return (f"The test process stopped before the tests finished ({how}); nothing it reported "
            f"counts. {run.note}").strip()
