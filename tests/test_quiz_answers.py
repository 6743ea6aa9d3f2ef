"""Judging what a learner types, picking a round's questions, and the quiz record on disk."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from grader.quiz import answers, play
from grader.quiz.history import History
from grader.quiz.model import Question


def question(ask: str, answer, choices=()) -> Question:  # type: ignore[no-untyped-def]
    return Question("01_demo", f"q-{ask}", ask, "?", "async def main():\n    pass\n", answer, "because",
                    tuple(choices))


@pytest.mark.parametrize(("q", "typed", "right"), [
    (question("elapsed", 0.3, (0.1, 0.3, 0.9)), "b", True),
    (question("elapsed", 0.3, (0.1, 0.3, 0.9)), "B)", True),
    (question("elapsed", 0.3, (0.1, 0.3, 0.9)), "2", True),
    (question("elapsed", 0.3, (0.1, 0.3, 0.9)), "a", False),
    (question("elapsed", 0.4), "0.4", True),
    (question("elapsed", 0.4), "about 0.42 s", True),
    (question("elapsed", 0.4), "400 ms", True),
    (question("elapsed", 0.4), ".8", False),
    (question("elapsed", 0.0), "0", True),
    (question("elapsed", 0.0), "0.3", False),
    (question("peak", 2), "2", True),
    (question("peak", 2), "3", False),
    (question("raises", "TimeoutError"), "asyncio.TimeoutError", True),
    (question("raises", "TimeoutError"), "timeouterror", True),
    (question("raises", "TimeoutError"), "TimeoutError()", True),
    (question("raises", "TimeoutError"), "CancelledError", False),
    (question("raises", "nothing"), "None", True),
    (question("raises", "nothing"), "no exception", True),
    (question("result", "'tea is ready'"), "tea is ready", True),
    (question("result", "'tea is ready'"), '"tea is ready"', True),
    (question("result", "[]"), "[ ]", True),
    (question("result", "['page a', 'page b']"), "['page a','page b']", True),
    (question("result", "['page a', 'page b']"), "['page b', 'page a']", False),
    (question("result", "False"), "false", True),
    (question("result", "False"), "True", False),
    (question("output", ("3",)), " 3 ", True),
])
def test_answers_are_read_generously_where_the_meaning_is_plain(q: Question, typed: str, right: bool) -> None:
    reply = answers.judge(q, typed)
    assert reply.understood and reply.right is right


@pytest.mark.parametrize(("q", "typed", "advice"), [
    (question("elapsed", 0.3, (0.1, 0.3, 0.9)), "d", "Type a letter from a to c."),
    (question("elapsed", 0.3, (0.1, 0.3, 0.9)), "0.3", "Type a letter from a to c."),
    (question("elapsed", 0.3), "soon", "Type a number of seconds"),
    (question("peak", 2), "two", "Type a whole number"),
    (question("raises", "TypeError"), "it breaks!", "Type the exception's name"),
    (question("result", "1"), "   ", "Type the value"),
])
def test_an_answer_that_cannot_be_read_gets_advice(q: Question, typed: str, advice: str) -> None:
    reply = answers.judge(q, typed)
    assert not reply.understood and advice in reply.problem


def test_a_round_prefers_questions_not_yet_answered_right_and_keeps_kit_order(tmp_path: Path) -> None:
    pool = [Question(f"0{n}_demo", f"q{i}", "peak", "?", "", 1, "") for n in (1, 2) for i in range(3)]
    history = History(tmp_path / "quiz.json")
    for q in pool[:4]:
        history.record(q.key, right=True)
    picked = play.choose(pool, 3, history, random.Random(7))
    assert {q.key for q in pool[4:]} <= {q.key for q in picked}
    assert picked == [q for q in pool if q in picked], "asked in kit order"
    assert play.choose(pool, 50, history) == pool


def test_the_record_survives_a_round_trip_and_a_corrupt_file_is_named_and_replaced(tmp_path: Path) -> None:
    history = History.load(tmp_path)
    history.record("01_demo/a", right=False)
    history.record("01_demo/a", right=True)
    history.add_round(asked=2, right=1)
    history.save()
    again = History.load(tmp_path)
    assert again.answers == {"01_demo/a": {"right": 1, "wrong": 1}} and again.right_before("01_demo/a")
    assert again.rounds[0]["asked"] == 2 and not again.problem
    path = tmp_path / ".grader" / "quiz.json"
    assert not list(path.parent.glob("*.tmp")), "written atomically through a temporary file"
    for bad in ("{not json", json.dumps({"version": 99}), json.dumps({"version": 1, "answers": [],
                                                                       "rounds": []})):
        path.write_text(bad)
        broken = History.load(tmp_path)
        assert str(path) in broken.problem and broken.answers == {}
        broken.save()
        assert History.load(tmp_path).problem == ""
