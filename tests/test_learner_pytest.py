"""A learner running plain `pytest challenges/<id>` gets the same verdicts as `grader check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.catalog import Challenge
from grader.run import run_challenge
from tests.kit_cases import CHALLENGES, KIT, stub


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c.id)
def test_plain_pytest_on_the_stub_agrees_with_the_grader(challenge: Challenge, tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    published = stub(challenge)  # the learner's own solution.py may be solved by now
    done = subprocess.run([sys.executable, "-m", "pytest", str(challenge.path), "-q", "--solution",
                           str(published), "-p", "no:cacheprovider", "--grader-results", str(results)],
                          cwd=KIT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout  # the untouched stub fails
    learner = {t["name"]: (t["status"], t["diagnosis"]) for t in json.loads(results.read_text())["tests"]}
    graded = run_challenge(challenge, published)
    assert learner == {t.name: (str(t.status), t.diagnosis) for t in graded.tests}
    assert "Next step:" in done.stdout  # the learner reads the explanation, not a traceback
