"""`grader explain`: every diagnosis code the kit can give has an explanation, and every explanation's
example really runs and prints what its text says it prints."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.testkit import explanations
from grader.testkit.diagnoses import DIAGNOSES
from tests.kit_cases import CHALLENGES, KIT, known_mistakes

EVERY = explanations.load()
CODE_IN_SOURCE = re.compile(r"""(?:Mistake\(|code=|_code=|code = |Diagnosis\()\s*"""
                            r"""["']([a-z]+(?:-[a-z]+)*)["']""")
CODE_IN_TEST = re.compile(r"""["']([a-z]+(?:-[a-z]+)*)["']""")
MAX_LINES = 30  # "about ten lines" of idea, plus the few lines that measure and print it


def _codes_used_in_the_kit() -> dict[str, str]:
    """code -> where it was found: the grader's sources, challenge tests, stubs, known mistakes."""
    used: dict[str, str] = {}
    for path in sorted((KIT / "grader").rglob("*.py")):
        for code in CODE_IN_SOURCE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(code, str(path.relative_to(KIT)))
    for challenge in CHALLENGES:
        used.setdefault(challenge.stub_diagnosis, f"{challenge.id}/challenge.toml")
        for path in challenge.path.glob("test_*.py"):
            for code in set(CODE_IN_TEST.findall(path.read_text(encoding="utf-8"))) & set(DIAGNOSES):
                used.setdefault(code, str(path.relative_to(KIT)))
    for mistake in known_mistakes():
        used.setdefault(mistake.diagnosis, str(mistake.path.relative_to(KIT)))
    return used


def test_every_code_used_in_the_kit_has_an_explanation() -> None:
    used = _codes_used_in_the_kit()
    assert len(used) >= 30, "the scan found too few codes: has the code style changed?"
    missing = {code: where for code, where in used.items() if code not in EVERY}
    assert not missing, f"codes without an explanation in explanations.toml: {missing}"
    assert set(EVERY) == set(DIAGNOSES)


@pytest.mark.parametrize("code", list(EVERY))
def test_the_example_runs_and_prints_what_the_text_says(code: str) -> None:
    item = EVERY[code]
    assert len(item.example.splitlines()) <= MAX_LINES, "keep the example short"
    problems = []
    for _ in range(3):  # timings on a shared machine: measure again before failing, as the grader does
        problem = explanations.mismatch(item, explanations.run_example(item))
        if not problem:
            return
        problems.append(problem)
    pytest.fail(f"{code}: the example does not behave as its text says: {problems}")


def test_each_explanation_names_where_the_code_is_met() -> None:
    """Every challenge whose stub, tests or known mistakes give a code is listed under that code."""
    numbers = {c.number for c in CHALLENGES}
    must: dict[str, set[int]] = {}
    for challenge in CHALLENGES:
        must.setdefault(challenge.stub_diagnosis, set()).add(challenge.number)
        text = next(challenge.path.glob("test_*.py")).read_text(encoding="utf-8")
        for code in set(CODE_IN_TEST.findall(text)) & set(DIAGNOSES):
            must.setdefault(code, set()).add(challenge.number)
    for mistake in known_mistakes():
        must.setdefault(mistake.diagnosis, set()).add(mistake.challenge.number)
    for code, item in EVERY.items():
        assert set(item.challenges) <= numbers, f"{code} lists a challenge that does not exist"
        assert must.get(code, set()) <= set(item.challenges), \
            f"{code}: add challenges {sorted(must[code] - set(item.challenges))}"


def test_the_line_comparison_allows_timing_noise_and_nothing_else() -> None:
    assert explanations.line_matches("took 0.3 s", "took 0.4 s")
    assert not explanations.line_matches("took 0.3 s", "took 0.5 s")
    assert not explanations.line_matches("took 0.3 s", "took 0.3 s!")
    assert explanations.line_matches("got <function main at ...>", "got <function main at 0x7f1>")
    assert explanations.line_matches("~700,000 checks", "1,251,494 checks")
    assert not explanations.line_matches("~7 checks", "seven checks")


def _explain(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--kit", str(KIT), "explain", *args])
    return result.exit_code, result.output


def test_explain_lists_every_code() -> None:
    code, out = _explain()
    assert code == 0
    for name, item in EVERY.items():
        assert f"  {name} " in out and item.diagnosis.title in out
    assert "grader explain CODE" in out


def test_explain_shows_the_idea_the_example_and_where_it_is_taught() -> None:
    code, out = _explain("[sequential]")  # as the report prints it, brackets and all
    assert code == 0
    item = EVERY["sequential"]
    assert out.startswith(f"sequential: {item.diagnosis.title}")
    assert "one after another are" not in out and "asyncio.gather" in out
    assert "    " + item.example.splitlines()[-1] in out  # the example, indented
    assert "It prints:" in out and "one after another: 0.3 s" in out
    assert "02 Three fetches" in out and "08 Many fetches, in order" in out


def test_explain_runs_the_example_on_request() -> None:
    code, out = _explain("not-awaited", "--run")
    assert code == 0
    assert "Running it now" in out and "with await: user 42" in out
    assert "was never awaited" in out


def test_an_unknown_code_is_a_usage_error_with_a_suggestion() -> None:
    code, out = _explain("sequentail")
    assert code == 2
    assert "Did you mean sequential?" in out and "`grader explain` lists them all" in out


def test_a_failed_challenge_points_to_the_explanation_of_its_diagnosis() -> None:
    from grader.model import ChallengeResult, Status
    from grader.report.terminal import next_step

    failed = ChallengeResult(id="02_three_fetches", title="Three fetches", score=4, max_score=10,
                             status=Status.FAILED, diagnoses=("sequential",))
    assert "`grader explain sequential`" in next_step(failed)
    assert "`grader hint 2`" in next_step(failed)
