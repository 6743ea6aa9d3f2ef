"""The pristine manifest: fingerprints of the published tests, so edited copies are caught.

`grader template` writes .grader/pristine.json into the student template: for every challenge the
SHA-256 of each file that decides its grade (everything in its folder but the learner's solution.py,
README.md and the practice quiz.toml), and of the grader package itself. When a kit holding a
manifest is graded (the fallback Classroom workflow grades a student repository with its own
tests), a challenge whose files differ scores zero with the reason, every challenge does if the
grader was edited, and a published challenge whose folder is gone is reported as such instead of
silently missing.

This detects edits; it cannot stop a student who also rewrites the manifest or the workflow. The
pinned-kit workflow, which never runs the student's copy of the tests, is the one that prevents it.
Imports grader.model only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from grader.model import ChallengeResult, GradeReport, Status

MANIFEST = Path(".grader") / "pristine.json"
MANIFEST_VERSION = 1
LEARNER_FILES = {"solution.py", "README.md", "quiz.toml"}  # files that do not decide the grade
RESTORE = "git checkout $(git rev-list --max-parents=0 HEAD) --"  # the template's own commit


def fingerprint(path: Path) -> str:
    """SHA-256 of the content with CRLF line ends read as LF (a Windows checkout is not an edit)."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def tracked(folder: Path) -> list[Path]:
    """The files under folder that are fingerprinted (no caches, no learner files)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and ".pytest_cache" not in p.parts and p.suffix != ".pyc")


def build(root: Path, challenges: list[tuple[str, str, int]]) -> dict[str, Any]:
    """The manifest of a written template at root; challenges are (id, title, points)."""
    def hashes(paths: list[Path]) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): fingerprint(p) for p in paths}

    return {
        "version": MANIFEST_VERSION,
        "challenges": {cid: {"title": title, "points": points, "files": hashes(
            [p for p in tracked(root / "challenges" / cid) if p.name not in LEARNER_FILES])}
            for cid, title, points in challenges},
        "grader": hashes(tracked(root / "grader")),
    }


@dataclass(frozen=True)
class Findings:
    edited: dict[str, list[str]] = field(default_factory=dict)   # challenge id -> changed files
    grader: list[str] = field(default_factory=list)               # changed grader files
    missing: dict[str, dict[str, Any]] = field(default_factory=dict)  # published, folder gone

    @property
    def clean(self) -> bool:
        return not (self.edited or self.grader or self.missing)


def check(kit: Path) -> Findings | None:
    """Compare the kit with its manifest; None when the kit has no manifest (the instructor's own)."""
    try:
        data = json.loads((kit / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return Findings(grader=[MANIFEST.as_posix()])  # an unreadable manifest is an edited one
    findings = Findings(grader=_changed(kit, data.get("grader", {})))
    for cid, entry in data.get("challenges", {}).items():
        if not (kit / "challenges" / cid).is_dir():
            findings.missing[cid] = entry
        elif changed := _changed(kit, entry.get("files", {})):
            findings.edited[cid] = changed
    return findings


def _changed(kit: Path, files: dict[str, str]) -> list[str]:
    return [name for name, digest in files.items()
            if not (kit / name).is_file() or fingerprint(kit / name) != digest]


def enforce(kit: Path, report: GradeReport, complete: bool = True) -> GradeReport:
    """The report with every challenge graded by edited files zeroed (and, when the whole kit was
    graded, every published challenge that has disappeared reported as not graded)."""
    findings = check(kit)
    if findings is None or findings.clean:
        return report
    results = [_zeroed(c, findings) if (findings.grader or c.id in findings.edited) else c
               for c in report.challenges]
    if complete:
        results += [_gone(cid, entry) for cid, entry in sorted(findings.missing.items())]
    return replace(report, challenges=tuple(results))


def _zeroed(result: ChallengeResult, findings: Findings) -> ChallengeResult:
    files = findings.edited.get(result.id) or findings.grader
    what = "the grader's own files" if findings.grader else "this challenge's tests"
    listing = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    reason = (f"Not graded: {what} differ from the ones your instructor published ({listing}), so "
              f"this challenge scores zero.\nNext step: restore them with `{RESTORE} "
              f"{' '.join(files[:3])}`, commit and push; only solution.py is yours to change.")
    return replace(result, score=0.0, status=Status.ERROR, diagnoses=("edited-tests",),
                   reason=reason, tests=tuple(replace(t, score=0.0) for t in result.tests))


def _gone(cid: str, entry: dict[str, Any]) -> ChallengeResult:
    points = float(entry.get("points", 0))
    return ChallengeResult(
        id=cid, title=str(entry.get("title", cid)), score=0.0, max_score=points, status=Status.ERROR,
        diagnoses=("edited-tests",), reason=f"Not graded: the folder challenges/{cid} is missing.\n"
        f"Next step: restore it with `{RESTORE} challenges/{cid}`, commit and push.")
