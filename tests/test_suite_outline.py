"""suite_outline: the declared tests, exactly as the plugin reports them, and `complete`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from grader import suite_outline
from grader.model import ChallengeResult, Status
from grader.run import run_challenge
from tests.kit_cases import CHALLENGES

ONE = next(c for c in CHALLENGES if c.id == "02_three_fetches")


def test_the_outline_is_what_a_real_run_reports() -> None:
    """Names, points, locations and node ids of the stub's run, for a challenge the kit ships."""
    ran = run_challenge(ONE, ONE.stub)
    declared = suite_outline.outline(ONE)
    assert [(t.name, t.max_score, t.line_no, t.nodeid.rpartition("::")[2]) for t in ran.tests] == [
        (d.title, d.points, d.line_no, d.function) for d in declared]
    assert all(t.nodeid.startswith(f"{ONE.id}/{ONE.test_file.name}::") for t in ran.tests)


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c.id)
def test_every_shipped_suite_has_an_outline_worth_its_points(challenge) -> None:
    declared = suite_outline.outline(challenge)
    assert declared and sum(d.points for d in declared) == challenge.points


def missing(challenge) -> ChallengeResult:
    return ChallengeResult(id=challenge.id, title=challenge.title, score=0.0,
                           max_score=float(challenge.points), status=Status.ERROR,
                           diagnoses=("missing-file",), reason="Not submitted: no file.")


def test_complete_lists_every_declared_test_failed_with_the_reason() -> None:
    done = suite_outline.complete(ONE, missing(ONE))
    assert [t.status for t in done.tests] == [Status.FAILED] * 3
    assert all(t.message == "Not submitted: no file." and t.diagnosis == "missing-file"
               and t.score == 0 for t in done.tests)
    assert sum(t.max_score for t in done.tests) == ONE.points
    assert (done.score, done.status, done.reason) == (0.0, Status.ERROR, "Not submitted: no file.")


def test_complete_keeps_what_was_reported_and_fills_the_rest_in_order() -> None:
    first = suite_outline.complete(ONE, missing(ONE)).tests[0]
    reported = replace(first, status=Status.PASSED, message="", diagnosis=None)
    timed_out = replace(missing(ONE), status=Status.TIMEOUT, diagnoses=("timeout",),
                        reason="still running", tests=(reported,))
    done = suite_outline.complete(ONE, timed_out)
    assert done.tests[0] is reported and len(done.tests) == 3
    assert [t.message for t in done.tests[1:]] == ["still running"] * 2


def test_a_passed_or_fully_reported_result_is_left_alone() -> None:
    full = suite_outline.complete(ONE, missing(ONE))
    assert suite_outline.complete(ONE, full) is full
    passed = replace(full, status=Status.PASSED, tests=full.tests[:1])
    assert suite_outline.complete(ONE, passed) is passed


@pytest.mark.parametrize("source", [
    "import pytest\n@pytest.mark.parametrize('x', [1, 2])\ndef test_a(x): ...\n",
    "class TestA:\n    def test_a(self): ...\n",
    "import pytest\nN = 3\n@pytest.mark.points(N)\ndef test_a(): ...\n",
    "def test_a(: ...\n",
    "import pytest\n@pytest.mark.points(3)\ndef test_a(): ...\n",  # 3 points, challenge has 10
])
def test_a_suite_the_outline_cannot_read_exactly_gets_none(tmp_path: Path, source: str) -> None:
    folder = tmp_path / ONE.id
    folder.mkdir()
    (folder / ONE.test_file.name).write_text(source, encoding="utf-8")
    fake = replace(ONE, path=folder)
    assert suite_outline.outline(fake) == ()
    result = missing(fake)
    assert suite_outline.complete(fake, result) is result
