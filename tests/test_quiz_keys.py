"""Every quiz answer key agrees with what its snippet really does, and a wrong key fails, with figures.

Each snippet is run for real (in this process, on a fresh event loop): its printed lines, return
value, exception, peak in flight and wall-clock time are compared with the key in its quiz.toml.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from grader.quiz import keycheck, loader, runner
from grader.quiz.model import KINDS, Question
from tests.kit_cases import CHALLENGES

QUESTIONS = loader.load_many(CHALLENGES)
QUICK = 1.0  # seconds: a round of five questions should take seconds, not minutes


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.key)
def test_the_answer_key_is_what_the_snippet_does(question: Question) -> None:
    seen, problem = keycheck.verify(question)
    assert problem is None, problem
    assert seen.elapsed < QUICK, f"{question.key} ran {seen.elapsed:.2f} s; keep quiz snippets short"


def test_every_challenge_has_at_least_three_questions_of_more_than_one_kind() -> None:
    for challenge in CHALLENGES:
        questions = loader.load(challenge)
        kinds = {q.ask for q in questions}
        assert len(questions) >= 3, f"{challenge.id} has {len(questions)} quiz questions; write at least 3"
        assert len(kinds) >= 2, f"{challenge.id} asks only about {kinds}; vary the questions"


def test_the_kit_asks_every_kind_both_with_choices_and_typed() -> None:
    assert {q.ask for q in QUESTIONS} == set(KINDS)
    assert any(q.typed for q in QUESTIONS) and any(not q.typed for q in QUESTIONS)


def _first(ask: str, typed: bool | None = None) -> Question:
    return next(q for q in QUESTIONS if q.ask == ask and (typed is None or q.typed == typed))


def _other_choice(question: Question) -> Question:
    return replace(question, answer=next(c for c in question.choices if c != question.answer))


# (how the key is made wrong, what the failure must say): the measured figure and the key's.
WRONG_KEYS = [
    (lambda: _other_choice(_first("output", typed=False)), "the snippet printed"),
    (lambda: _other_choice(_first("result", typed=False)), "the snippet returned"),
    (lambda: _other_choice(_first("raises", typed=False)), "the snippet raised"),
    (lambda: replace(_first("peak"), answer=int(_first("peak").answer) + 1), "the snippet peaked at"),
]


@pytest.mark.parametrize(("wrong", "says"), WRONG_KEYS, ids=["output", "result", "raises", "peak"])
def test_a_wrong_key_fails_with_what_happened(wrong, says: str) -> None:  # type: ignore[no-untyped-def]
    question = wrong()
    _, problem = keycheck.verify(question, attempts=1)
    assert problem is not None and says in problem
    assert f"the key says {question.answer!r}" in problem


def test_a_wrong_timing_key_fails_with_the_measured_seconds_and_the_band() -> None:
    question = next(q for q in QUESTIONS if q.key == "01_first_coroutine/one-after-another")
    assert question.answer == 0.5 and 0.2 in question.choices
    _, problem = keycheck.verify(replace(question, answer=0.2), attempts=2)
    assert problem is not None
    assert "main() took 0.5" in problem and "about 0.20 s (accepted 0.15-0.25 s)" in problem
    _, problem = keycheck.verify(replace(question, answer=0.8, choices=()), attempts=1)
    assert problem is not None and "main() took 0.5" in problem and "about 0.80 s" in problem


def test_a_timing_band_never_reaches_halfway_to_the_next_choice() -> None:
    for question in (q for q in QUESTIONS if q.ask == "elapsed"):
        limits = keycheck.band(question)
        above = [c for c in question.choices if c > question.answer]  # type: ignore[operator]
        if above:
            assert limits.upper <= (question.answer + min(above)) / 2 + 1e-9, question.key  # type: ignore[operator]


def test_a_snippet_that_never_finishes_is_reported_not_waited_for() -> None:
    stuck = replace(_first("elapsed"), snippet="import asyncio\n\nasync def main():\n"
                    "    await asyncio.Event().wait()\n", services=())
    seen = runner.run(stuck, budget=0.2)
    assert seen.timed_out and seen.elapsed < 1
    assert "still running after its budget" in (keycheck.disagreement(stuck, seen) or "")


def test_runs_keep_python_warnings_as_evidence_instead_of_printing_them(recwarn) -> None:  # type: ignore[no-untyped-def]
    question = next(q for q in QUESTIONS if q.key == "05_forgotten_await/coroutine-has-no-upper")
    seen = runner.run(question)
    assert seen.warnings == ["coroutine 'get_user' was never awaited"]
    assert not [w for w in recwarn if "never awaited" in str(w.message)]


def test_snippets_run_in_the_seconds_they_show_whatever_the_time_scale(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """GRADER_TIME_SCALE shrinks the graded challenges; a quiz snippet's asyncio.sleep(0.3) cannot
    be shrunk, so its fake services keep real seconds too and the two stay consistent."""
    monkeypatch.setenv("GRADER_TIME_SCALE", "0.5")
    question = next(q for q in QUESTIONS if q.key == "02_three_fetches/three-at-once")
    seen = runner.run(question)
    assert question.services[0].latency == 0.3 and seen.elapsed >= 0.29
    assert all(call.ended_at >= 0.29 for call in seen.services[0].calls)  # type: ignore[operator]
