"""Which uploaded file stands for which challenge, and what to tell a student when none does.

Accepted layouts, per challenge, first match wins:
- the kit's layout, as a student repository has it (GitHub upload or a zip of the repository):
  challenges/<id>/solution.py, also one folder down (a zip of the repository's folder);
- a folder per challenge: <id>/solution.py;
- flat files named like the reference solutions: <id>.py, or by slug: <slug>.py (three_fetches.py);
- when the autograder holds exactly one challenge: the submission's only Python file, whatever
  its name (solution.py, answer.py): it cannot be meant for anything else.

A lone file is never matched to one of several challenges by its content (the functions it
defines): a wrong guess would grade it with another challenge's tests and give a zero that
explains nothing, while a name is cheap to fix. Instead `layout_note` lists the files received and
the names expected, and each challenge's reason names them too, so the student can resubmit.
Imports grader.catalog, grader.model and grader.report.plain_text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from grader.catalog import Challenge
from grader.model import ChallengeResult, GradeReport
from grader.report.plain_text import one_line

SolutionFor = Callable[[Challenge], Path]
SHOWN = 12            # files listed by name; the rest are counted
WALK_LIMIT = 2000     # entries looked at in all: a submission is a handful of files
IGNORED = {"__MACOSX", ".git", "__pycache__", ".DS_Store"}


def solution_finder(submission: Path, challenges: list[Challenge]) -> SolutionFor:
    """The SolutionFor of grader.grade, trying each accepted layout in turn."""
    folders = sorted(submission.iterdir()) if submission.is_dir() else []
    nested = [p for p in folders if (p / "challenges").is_dir()]
    repositories = [submission, *nested[:1]]  # a zipped repository folder sits one level down
    python = [p for p in received(submission) if p.suffix == ".py"]

    def solution_for(challenge: Challenge) -> Path:
        candidates = [root / "challenges" / challenge.id / "solution.py" for root in repositories]
        candidates += [submission / challenge.id / "solution.py", submission / f"{challenge.id}.py",
                       submission / f"{challenge.slug}.py"]
        if len(challenges) == 1 and len(python) == 1:
            candidates.append(submission / python[0])
        return next((c for c in candidates if c.is_file() and not c.is_symlink()), candidates[0])

    return solution_for


def received(submission: Path) -> list[Path]:
    """The submitted files, relative to the submission folder, in order (bounded)."""
    found: list[Path] = []
    stack = [submission]
    seen = 0
    while stack and seen < WALK_LIMIT:
        folder = stack.pop()
        try:
            entries = sorted(folder.iterdir(), reverse=True)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if entry.name in IGNORED:
                continue
            if entry.is_dir() and not entry.is_symlink():
                stack.append(entry)
            elif entry.is_file():
                found.append(entry.relative_to(submission))
    return sorted(found)


def expected_names(challenges: list[Challenge]) -> str:
    example = challenges[0]
    return (f"challenges/{example.id}/solution.py (your repository as it is), "
            f"{example.id}/solution.py, {example.id}.py or {example.slug}.py, one per challenge")


def layout_note(submission: Path, challenges: list[Challenge], report: GradeReport) -> str:
    """A paragraph for the results' output when files were received that no challenge used."""
    used = {r.id for r in report.challenges if "missing-file" not in r.diagnoses}
    files = received(submission)
    if not files or len(used) == len(report.challenges):
        return ""
    listing = _listing(files)
    if used:
        return (f"Note: {len(report.challenges) - len(used)} challenges found no file. Files received: "
                f"{listing}.\nExpected: {expected_names(challenges)}.\n")
    return (f"No file in this submission could be matched to a challenge, so nothing was graded.\n"
            f"Files received: {listing}.\nExpected: {expected_names(challenges)}.\n"
            f"Next step: rename or move your files to match, then submit again (or upload your "
            f"whole repository from GitHub).\n")


def explain_missing(submission: Path, challenges: list[Challenge],
                    report: GradeReport) -> GradeReport:
    """Each "not submitted" reason says which files arrived and which names count."""
    files = received(submission)
    seen = f"the files received were {_listing(files)}" if files else "the submission was empty"

    def fix(result: ChallengeResult) -> ChallengeResult:
        if result.diagnoses != ("missing-file",):
            return result
        challenge = next((c for c in challenges if c.id == result.id), None)
        slug = f" or {challenge.slug}.py" if challenge else ""
        return replace(result, reason=f"Not submitted: no file for this challenge was found ({seen}).\n"
                       f"Next step: upload challenges/{result.id}/solution.py (your repository as "
                       f"it is), {result.id}/solution.py, {result.id}.py{slug}.")

    return replace(report, challenges=tuple(fix(c) for c in report.challenges))


def _listing(files: list[Path]) -> str:
    names = ", ".join(one_line(f.as_posix()) for f in files[:SHOWN])
    return names + (f" and {len(files) - SHOWN} more" if len(files) > SHOWN else "")
