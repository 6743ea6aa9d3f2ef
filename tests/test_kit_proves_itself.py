"""The kit proves itself: references score full points, untouched stubs score less with the
message they were designed to give, and every known mistake gets its named diagnosis.

These run each solution through the real grader (child process, real wall clock).
"""

from __future__ import annotations

import pytest

from grader.model import Status
from grader.run import run_challenge
from tests.kit_cases import CHALLENGES, KnownMistake, known_mistakes, reference, stub

MISTAKES = known_mistakes()


def _explain(result) -> str:  # type: ignore[no-untyped-def]
    lines = [f"{result.id}: {result.status} {result.score}/{result.max_score} {result.reason}"]
    lines += [f"  {t.status} {t.name} [{t.diagnosis}]\n{t.message}" for t in result.tests]
    return "\n".join(lines) + "\n" + result.output[-3000:]


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c.id)
def test_reference_scores_full_points(challenge) -> None:  # type: ignore[no-untyped-def]
    result = run_challenge(challenge, reference(challenge))
    assert result.status is Status.PASSED, _explain(result)
    assert result.score == challenge.points, _explain(result)
    assert sum(t.max_score for t in result.tests) == challenge.points, (
        "challenge.toml points must equal the sum of the suite's @pytest.mark.points")


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c.id)
def test_untouched_stub_gets_its_designed_diagnosis(challenge) -> None:  # type: ignore[no-untyped-def]
    result = run_challenge(challenge, stub(challenge))
    assert result.score < challenge.points, _explain(result)
    assert challenge.stub_diagnosis in result.diagnoses, _explain(result)
    failing = [t for t in result.tests if t.status is not Status.PASSED]
    assert all(t.message for t in failing), "every failure must carry a message"


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.id)
def test_known_mistake_gets_its_diagnosis(mistake: KnownMistake) -> None:
    result = run_challenge(mistake.challenge, mistake.path)
    assert result.score < mistake.challenge.points, _explain(result)
    assert mistake.diagnosis in result.diagnoses, _explain(result)
