"""A tiny kit for the CLI's own tests: challenges that pass the moment answer() returns 42, so the
real grader (witness, executor, plugin, scoring) runs each in about a second, with no timing to wait
for."""

from __future__ import annotations

from pathlib import Path

from grader import stubs

TOML = """format_version = 1
title = "{title}"
level = "beginner"
points = 2
summary = "Make answer() return the answer."
concepts = ["await"]
hints = ["Think of a number.", "It is 42."]

[timing]
min_wait = 0
timeout = 30

[stub]
diagnosis = "wrong-result"
"""
TESTS = '''import pytest

from grader.testkit import checks, require, run_trial


@pytest.mark.points(2)
def test_the_answer_is_right(solution) -> None:
    """the answer is right"""
    answer = require(solution, "answer")
    trial = run_trial(lambda kit: answer(), budget=5)
    checks.finished(trial)
    assert trial.result == 42, f"answer() returned {trial.result!r}, not 42"
'''
STUB = "async def answer():\n    return 0  # TODO: the answer\n"
RIGHT = "async def answer():\n    return 42\n"
SLOW = "import time\n\ntime.sleep(30)\n\n\nasync def answer():\n    return 42\n"  # for Ctrl-C mid-run
NAMES = ("alpha", "beta", "gamma")


def make(root: Path) -> Path:
    """Write the mini kit into root (stubs fingerprinted, as in the real kit); returns root."""
    for number, slug in enumerate(NAMES, 1):
        folder = root / "challenges" / f"{number:02d}_{slug}"
        folder.mkdir(parents=True)
        (folder / "challenge.toml").write_text(TOML.format(title=slug.title()))
        (folder / f"test_{slug}.py").write_text(TESTS)
        (folder / "README.md").write_text(f"# {slug.title()}\n\nRun `grader check {number}`.\n")
        (folder / "solution.py").write_text(STUB)
    stubs.write_manifest(root)
    return root


def solve(root: Path, number: int, text: str = RIGHT) -> Path:
    path = root / "challenges" / f"{number:02d}_{NAMES[number - 1]}" / "solution.py"
    path.write_text(text)
    return path
