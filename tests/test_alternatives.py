"""Correct solutions in other styles score full points too: the suites grade behaviour, not one
way of writing it (create_task, TaskGroup, asyncio.wait, queues and workers, ...).

tests/alternatives/<id>/<name>.py each hold a correct solution of challenge <id> written
differently from the reference; each runs through the real grader like the reference does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.catalog import Challenge
from grader.model import Status
from grader.run import run_challenge
from tests.kit_cases import CHALLENGES, KIT

ALTERNATIVES = [(challenge, path) for challenge in CHALLENGES
                for path in sorted((KIT / "tests" / "alternatives" / challenge.id).glob("*.py"))]


def _explain(result) -> str:  # type: ignore[no-untyped-def]
    lines = [f"{result.id}: {result.status} {result.score}/{result.max_score} {result.reason}"]
    lines += [f"  {t.status} {t.name} [{t.diagnosis}]\n{t.message}" for t in result.tests]
    return "\n".join(lines) + "\n" + result.output[-3000:]


@pytest.mark.parametrize(("challenge", "path"), ALTERNATIVES,
                         ids=[f"{c.id}/{p.stem}" for c, p in ALTERNATIVES])
def test_alternative_scores_full_points(challenge: Challenge, path: Path) -> None:
    result = run_challenge(challenge, path)
    assert result.status is Status.PASSED, _explain(result)
    assert result.score == challenge.points, _explain(result)
