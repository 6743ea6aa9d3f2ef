"""Grading a submission: which solution file stands for each challenge, then run and collect.

Imports grader (its version), catalog, model, run, schedule, suite_outline and the testkit's clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from grader import __version__, schedule, suite_outline
from grader.catalog import Challenge
from grader.model import ChallengeResult, GradeReport
from grader.run import run_challenge
from grader.testkit import clock

SolutionFor = Callable[[Challenge], Path]


def kit_layout(submission: Path) -> SolutionFor:
    """A folder laid out like the kit (a student repository): challenges/<id>/solution.py."""
    return lambda challenge: submission / "challenges" / challenge.id / "solution.py"


def solutions_folder(folder: Path) -> SolutionFor:
    """A flat folder of files named <id>.py, as the kit's own solutions/ is."""
    return lambda challenge: folder / f"{challenge.id}.py"


def grade(challenges: Iterable[Challenge], solution_for: SolutionFor, submission: str = "",
          on_result: Callable[[ChallengeResult], None] | None = None,
          root: Path | None = None, jobs: int = 1) -> GradeReport:
    """Run every challenge against its solution file; only the kit's own tests are ever used.
    root is the submission's folder: no link below it is followed. Every declared test is listed,
    even for a challenge that could not run (suite_outline.py). Up to `jobs` challenges run at
    once (schedule.py: no verdict is left to the load); results come in the challenges' order."""
    def run_one(challenge: Challenge) -> ChallengeResult:
        return suite_outline.complete(challenge, run_challenge(challenge, solution_for(challenge),
                                                               root=root))

    results = []
    for result in schedule.in_order(list(challenges), run_one, jobs):
        results.append(result)
        if on_result is not None:
            on_result(result)
    return GradeReport(challenges=tuple(results), submission=submission,
                       grader_version=__version__, time_scale=clock.time_scale())

