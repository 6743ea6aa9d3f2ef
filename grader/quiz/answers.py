"""Judging what a learner typed: a choice by letter or number, or a typed value.

Typed answers are read generously where the meaning is plain ("0.3", "0.3 s", "300 ms";
"asyncio.TimeoutError" for TimeoutError; "'tea'" or "tea" for a string result) and strictly where
it matters (a count is a whole number). Imports only the standard library and grader.quiz.model.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass
from typing import Any

from grader.quiz.model import NOTHING, Answer, Question

NUMBER = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(ms|milliseconds?)?", re.IGNORECASE)
NO_ERROR = {"nothing", "none", "no", "no exception", "no error", "it returns", "returns"}
SLACK = 0.05      # seconds: a typed time this close to the key is right...
RELATIVE = 0.15   # ...or this share of it, whichever is more


@dataclass(frozen=True)
class Reply:
    understood: bool
    right: bool = False
    given: Answer | None = None   # what the text was taken to mean
    problem: str = ""             # when not understood: what to type instead


def letters(question: Question) -> str:
    return string.ascii_lowercase[:len(question.choices)]


def judge(question: Question, text: str) -> Reply:
    text = text.strip()
    if not text:
        return Reply(False, problem=_how(question))
    given = _choice(question, text) if question.choices else _typed(question, text)
    if given is None:
        return Reply(False, problem=_how(question))
    return Reply(True, _matches(question, given), given)


def _how(question: Question) -> str:
    if question.choices:
        return f"Type a letter from a to {letters(question)[-1]}."
    return {"output": "Type the line it prints.",
            "result": "Type the value, as Python would show it (for example 'tea is ready' or [1, 2]).",
            "raises": f"Type the exception's name (for example TypeError), or {NOTHING}.",
            "elapsed": "Type a number of seconds (for example 0.5).",
            "peak": "Type a whole number (for example 3)."}[question.ask]


def _choice(question: Question, text: str) -> Answer | None:
    key = text.lower().rstrip(").")
    if len(key) == 1 and key in letters(question):
        return question.choices[letters(question).index(key)]
    if key.isdigit() and 1 <= int(key) <= len(question.choices):
        return question.choices[int(key) - 1]
    return None


def _typed(question: Question, text: str) -> Answer | None:
    if question.ask == "elapsed":
        found = NUMBER.search(text)
        if not found:
            return None
        return float(found[1]) / (1000 if found[2] else 1)
    if question.ask == "peak":
        return int(text) if text.isdigit() else None
    if question.ask == "raises":
        if text.lower().rstrip(".") in NO_ERROR:
            return NOTHING
        name = text.split("(")[0].strip().rstrip(":").split(".")[-1]
        return name if name.isidentifier() else None
    return (text,) if question.ask == "output" else text


def _matches(question: Question, given: Answer) -> bool:
    key = question.answer
    if question.choices:
        return given == key
    if question.ask == "elapsed":
        return abs(float(given) - float(key)) <= max(SLACK, RELATIVE * float(key))  # type: ignore[arg-type]
    if question.ask == "raises":
        return str(given).lower() == str(key).lower()
    if question.ask == "output":
        return _value(given[0]) == _value(key[0])  # type: ignore[index]
    return given == key if question.ask == "peak" else _value(str(given)) == _value(str(key))


def _value(text: str) -> Any:
    """The Python value a text names when it is a literal ("'tea'", "[1, 2]"), else the text itself,
    so `tea` and `'tea'` agree, `[1,2]` equals `[1, 2]` and `false` means False."""
    text = text.strip()
    if text.lower() in ("true", "false", "none"):  # what a learner means by `false` is plain
        text = text.capitalize()
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text
