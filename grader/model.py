"""The result model every report is a pure function of. Version 1 is a contract (see DESIGN.md).

Imports nothing from the kit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

REPORT_VERSION = 1


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    SKIPPED = "skipped"
    INCONCLUSIVE = "inconclusive"  # the machine, not the code, made a timing check fail: no verdict


@dataclass(frozen=True)
class TestOutcome:
    """One test of a challenge suite, as the pytest plugin recorded it."""

    name: str
    status: Status
    score: float
    max_score: float
    message: str = ""
    diagnosis: str | None = None
    duration: float = 0.0
    nodeid: str = ""
    line_no: int = 0
    timeline: str = ""  # what the code under test did, as a text chart (may be empty)

    __test__ = False  # not a pytest test class, despite the name


@dataclass(frozen=True)
class ChallengeResult:
    id: str
    title: str
    score: float
    max_score: float
    status: Status
    tests: tuple[TestOutcome, ...] = ()
    diagnoses: tuple[str, ...] = ()
    reason: str = ""          # why the challenge as a whole errored or timed out
    duration: float = 0.0     # wall clock of the whole child run, measured by the parent
    output: str = ""          # what the solution printed, capped
    remeasured: bool = False  # shared the machine and lost points: this is a second run, alone

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED


@dataclass(frozen=True)
class GradeReport:
    challenges: tuple[ChallengeResult, ...]
    submission: str = ""
    grader_version: str = ""
    time_scale: float = 1.0
    version: int = REPORT_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return round(sum(c.score for c in self.challenges), 4)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_score for c in self.challenges), 4)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.challenges)


def to_dict(report: GradeReport) -> dict[str, Any]:
    """The JSON contract: version, score, max_score, challenges[...] with their tests."""
    return {
        "version": report.version,
        "score": report.score,
        "max_score": report.max_score,
        "submission": report.submission,
        "grader_version": report.grader_version,
        "time_scale": report.time_scale,
        "challenges": [_challenge_dict(c) for c in report.challenges],
        **report.extra,
    }


def _challenge_dict(result: ChallengeResult) -> dict[str, Any]:
    data = asdict(result)
    data["status"] = str(result.status)
    data["diagnoses"] = list(result.diagnoses)
    data["tests"] = [
        {**asdict(t), "status": str(t.status)} for t in result.tests
    ]
    return data


def from_dict(data: dict[str, Any]) -> GradeReport:
    """Read back a report written by to_dict (used by batch resume and shard merging)."""
    challenges = tuple(
        ChallengeResult(
            id=c["id"], title=c["title"], score=c["score"], max_score=c["max_score"],
            status=Status(c["status"]), diagnoses=tuple(c.get("diagnoses", ())),
            reason=c.get("reason", ""), duration=c.get("duration", 0.0), output=c.get("output", ""),
            remeasured=c.get("remeasured", False),
            tests=tuple(TestOutcome(**{**t, "status": Status(t["status"])}) for t in c["tests"]),
        )
        for c in data["challenges"]
    )
    known = {"version", "score", "max_score", "submission", "grader_version", "time_scale",
             "challenges"}
    return GradeReport(
        challenges=challenges, submission=data.get("submission", ""),
        grader_version=data.get("grader_version", ""), time_scale=data.get("time_scale", 1.0),
        version=data.get("version", REPORT_VERSION),
        extra={k: v for k, v in data.items() if k not in known},
    )
