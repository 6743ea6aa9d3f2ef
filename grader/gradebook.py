"""A class's gradebook on disk: one report per student, and the CSV and JSON built from them.

    OUT/students/<student>.json   the student's full report (the `grader grade --format json` shape,
                                  with a "batch" entry saying which challenges it covers)
    OUT/gradebook.csv             student, total, max, then the points of each challenge
    OUT/gradebook.json            every student's full report, and the challenges' titles and points

Every file is written atomically (a temporary file, then a rename), so a batch killed at any moment
leaves only complete files behind, and a rerun trusts every student file it finds. Every text cell
of the CSV goes through plain_text.formula_safe: a student folder named "=HYPERLINK(...)" stays text.

Imports grader.model and grader.report.plain_text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from grader.model import GradeReport, from_dict, to_dict
from grader.report.plain_text import formula_safe

BOOK_VERSION = 1
STUDENTS = "students"
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # the mode any new file gets (mkstemp's is 0600)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def student_path(out: Path, student: str) -> Path:
    return out / STUDENTS / f"{student}.json"


def save_student(out: Path, student: str, report: GradeReport) -> Path:
    path = student_path(out, student)
    write_atomically(path, json.dumps(to_dict(report), indent=2) + "\n")
    return path


def load_student(path: Path) -> GradeReport | None:
    """A student's saved report, or None when it is missing or unreadable (then: grade again)."""
    try:
        return from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load_all(out: Path) -> dict[str, GradeReport]:
    """Every readable student report under out, by student name."""
    found = {}
    for path in sorted((out / STUDENTS).glob("*.json")):
        report = load_student(path)
        if report is not None:
            found[path.stem] = report
    return found


def write_books(out: Path, reports: dict[str, GradeReport]) -> None:
    """gradebook.csv and gradebook.json for these students (sorted by name)."""
    names = sorted(reports)
    columns = _columns(reports[n] for n in names)
    write_atomically(out / "gradebook.csv", _csv(names, reports, columns))
    book = {"version": BOOK_VERSION, "students": len(names),
            "challenges": [{"id": cid, "title": title, "max_score": top}
                           for cid, (title, top) in columns.items()],
            "reports": {name: to_dict(reports[name]) for name in names}}
    write_atomically(out / "gradebook.json", json.dumps(book, indent=2) + "\n")


def _columns(reports: Iterable[GradeReport]) -> dict[str, tuple[str, float]]:
    columns: dict[str, tuple[str, float]] = {}
    for report in reports:
        for result in report.challenges:
            columns.setdefault(result.id, (result.title, result.max_score))
    return dict(sorted(columns.items()))


def _csv(names: list[str], reports: dict[str, GradeReport],
         columns: dict[str, tuple[str, float]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["student", "total", "max", *(formula_safe(cid) for cid in columns)])
    for name in names:
        points = {r.id: r.score for r in reports[name].challenges}
        top = sum(t for _title, t in columns.values())
        writer.writerow([formula_safe(name), _number(reports[name].score), _number(top),
                         *(_number(points.get(cid, 0.0)) for cid in columns)])
    return text.getvalue()


def _number(value: float) -> str:
    return f"{value:g}"


def merge(sources: list[Path], out: Path) -> tuple[dict[str, GradeReport], list[str]]:
    """Every student report of every source folder into out; the later-graded copy of a student
    found twice wins. Returns the reports and one warning per duplicate."""
    merged: dict[str, GradeReport] = {}
    warnings = []
    for source in sources:
        for name, report in load_all(source).items():
            if name in merged:
                warnings.append(f"{name} is in more than one shard; keeping the later report")
                if _graded_at(report) < _graded_at(merged[name]):
                    continue
            merged[name] = report
    for name, report in merged.items():
        save_student(out, name, report)
    write_books(out, merged)
    return merged, warnings


def _graded_at(report: GradeReport) -> str:
    batch: Any = report.extra.get("batch", {})
    return str(batch.get("graded_at", "")) if isinstance(batch, dict) else ""
