"""What run_autograder runs inside Gradescope: find the submitted files, grade, write results.json.

    python -m grader.gradescope_run --kit /autograder/source --submission DIR --out FILE

Accepted submission layouts, per challenge, first match wins:
- the kit's layout, as a student repository has it (GitHub upload or a zip of the repository):
  challenges/<id>/solution.py, also one folder down (a zip of the repository's folder);
- a folder per challenge: <id>/solution.py;
- flat files named like the reference solutions: <id>.py;
- a lone solution.py, when the autograder has exactly one challenge.
Results are always written: whatever goes wrong, the student gets a zero with the reason, never
Gradescope's "the autograder failed to execute correctly".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path

from grader import catalog
from grader.grade import SolutionFor, grade
from grader.model import ChallengeResult, GradeReport
from grader.report import gradescope, terminal
from grader.report.workflow_text import neutralise


def solution_finder(submission: Path, challenges: list[catalog.Challenge]) -> SolutionFor:
    """The SolutionFor of grader.grade, trying each accepted layout in turn."""
    folders = sorted(submission.iterdir()) if submission.is_dir() else []
    nested = [p for p in folders if (p / "challenges").is_dir()]
    repositories = [submission, *nested[:1]]  # a zipped repository folder sits one level down

    def solution_for(challenge: catalog.Challenge) -> Path:
        candidates = [root / "challenges" / challenge.id / "solution.py" for root in repositories]
        candidates += [submission / challenge.id / "solution.py", submission / f"{challenge.id}.py"]
        if len(challenges) == 1:
            candidates.append(submission / "solution.py")
        return next((c for c in candidates if c.is_file()), candidates[0])

    return solution_for


def _explain_missing(report: GradeReport) -> GradeReport:
    """run.py names the path it looked at (a temporary copy here); say which names are accepted."""
    def fix(result: ChallengeResult) -> ChallengeResult:
        if result.diagnoses != ("missing-file",):
            return result
        return replace(result, reason=f"Not submitted: no file for this challenge was found. "
                       f"Upload challenges/{result.id}/solution.py (your repository as it is), "
                       f"{result.id}/solution.py or {result.id}.py.")

    return replace(report, challenges=tuple(fix(c) for c in report.challenges))


def run(kit: Path, submission: Path) -> str:
    """The results.json text for this submission; never raises."""
    try:
        challenges = catalog.discover(kit)
        report = _explain_missing(grade(
            challenges, solution_finder(submission, challenges), submission="submission",
            on_result=lambda r: print(neutralise(terminal.headline(r)), flush=True)))
        print(terminal.table(report), flush=True)
        return gradescope.render(report)
    except BaseException as exc:  # the one place that must turn anything into a result
        traceback.print_exc()  # instructors see the autograder's stdout; students see the summary
        return json.dumps(gradescope.crashed(f"{type(exc).__name__}: {exc}"), indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope_run")
    parser.add_argument("--kit", type=Path, required=True)
    parser.add_argument("--submission", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="where results.json goes")
    args = parser.parse_args(argv)
    text = run(args.kit, args.submission)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.out)  # whole or not at all: run_autograder checks it parses
    return 0


if __name__ == "__main__":
    sys.exit(main())
