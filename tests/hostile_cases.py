"""The hostile corpus: tests/hostile/<case>.py, each a solution file that attacks the grader.

Each file's docstring says what it does and what the grader must conclude, in `key: value` lines:

    challenge: 02_three_fetches      the challenge it is submitted for
    status: failed|error             acceptable statuses (| separates alternatives)
    diagnosis: tampering             acceptable diagnoses; one of them must be in the result's (empty:
                                     no particular one)
    same-user-status: passed         (optional) what to expect instead when the run is not isolated
    same-user-diagnosis: crashed     (WEAK: the grader's own user, no namespaces)
    timeout: 6                       (optional) the watchdog budget for this case, seconds
    requires: isolation              (optional) only run when runs are isolated (namespaces or a
                                     fresh uid): in WEAK mode the case could harm the grader
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader import catalog

KIT = Path(__file__).resolve().parent.parent
HOSTILE = KIT / "tests" / "hostile"
FIELD = re.compile(r"^(?P<key>[a-z-]+):[ \t]*(?P<value>.*)$", re.MULTILINE)


@dataclass(frozen=True)
class HostileCase:
    path: Path
    challenge: catalog.Challenge
    statuses: tuple[str, ...]
    diagnoses: tuple[str, ...]
    same_user_statuses: tuple[str, ...]
    same_user_diagnoses: tuple[str, ...]
    timeout: float | None
    requires_isolation: bool

    @property
    def id(self) -> str:
        return self.path.stem

    def expected(self, isolated: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if isolated:
            return self.statuses, self.diagnoses
        return self.same_user_statuses, self.same_user_diagnoses


def _alternatives(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def load(path: Path) -> HostileCase:
    text = path.read_text(encoding="utf-8")
    fields = {m["key"]: m["value"].strip() for m in FIELD.finditer(text.split('"""')[1])}
    if "challenge" not in fields or "status" not in fields:
        raise ValueError(f"{path}: the docstring needs `challenge:` and `status:` lines")
    statuses, diagnoses = _alternatives(fields["status"]), _alternatives(fields.get("diagnosis"))
    same_statuses = _alternatives(fields.get("same-user-status")) or statuses
    same_diagnoses = (_alternatives(fields.get("same-user-diagnosis"))
                      if "same-user-status" in fields or "same-user-diagnosis" in fields else diagnoses)
    return HostileCase(
        path=path, challenge=catalog.load(KIT / "challenges" / fields["challenge"]),
        statuses=statuses, diagnoses=diagnoses, same_user_statuses=same_statuses,
        same_user_diagnoses=same_diagnoses,
        timeout=float(fields["timeout"]) if "timeout" in fields else None,
        requires_isolation=fields.get("requires") == "isolation")


def hostile_cases() -> list[HostileCase]:
    return [load(path) for path in sorted(HOSTILE.glob("*.py"))]
