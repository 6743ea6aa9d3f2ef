"""The text a learner reads: a question with its snippet and choices, an answer, and what a run did.

Pure functions of the model and an Observation; the caller prints. Imports grader.quiz.model,
answers, runner and grader.testkit.timeline.
"""

from __future__ import annotations

import shutil
import textwrap

from grader.quiz.answers import letters
from grader.quiz.model import KINDS, NOTHING, Answer, Question
from grader.quiz.runner import Observation
from grader.testkit.timeline import render

INDENT = "    "


def question_text(question: Question, title: str) -> str:
    """The snippet, what it is given, the question and the choices."""
    lines = [f"{title} · {KINDS[question.ask]}", ""]
    lines += [INDENT + line if line else "" for line in question.snippet.rstrip().split("\n")]
    lines += ["", INDENT + "asyncio.run(main())", ""]
    for spec in question.services:
        lines += _wrap(f"Given: {spec.describe()}", "  ", subsequent="    ")
    if question.services:
        lines.append("")
    lines += _wrap(question.question, "")
    for letter, choice in zip(letters(question), question.choices, strict=True):
        lines.append(f"  {letter}) " + show(question, choice).replace("\n", "\n     "))
    return "\n".join(lines)


def prompt(question: Question) -> str:
    if question.choices:
        return f"Your answer (a-{letters(question)[-1]}): "
    return {"elapsed": "Your answer, in seconds: ", "peak": "Your answer, a count: ",
            "raises": "Your answer (an exception's name, or nothing): "}.get(question.ask, "Your answer: ")


def show(question: Question, answer: Answer) -> str:
    """An answer as the learner reads it."""
    if question.ask == "output":
        return "\n".join(answer) if answer else "(nothing)"  # type: ignore[arg-type]
    if question.ask == "raises":
        return "nothing: main() returns normally" if answer == NOTHING else str(answer)
    if question.ask == "elapsed":
        return f"about {float(answer):g} s"  # type: ignore[arg-type]
    return str(answer)


def key_text(question: Question) -> str:
    """The answer key on one line, with its letter when the question has choices."""
    text = show(question, question.answer)
    if not question.choices:
        return text
    return f"{letters(question)[question.choices.index(question.answer)]}) {_one_line(text)}"


def verdict(question: Question, right: bool, given: Answer | None) -> str:
    if right:
        return "✓ Right."
    said = "" if given is None else f" You said {_one_line(show(question, given))};"
    return f"✗ Not this time.{said} the answer is {key_text(question)}."


def observed(question: Question, seen: Observation, disagreement: str | None) -> str:
    """What the run did: printed lines with their times, the outcome, the timeline, the peak."""
    ending = f"returned {seen.result!r}" if seen.error is None else f"raised {_error(seen.error)}"
    if seen.timed_out:
        ending = "was still running when the quiz stopped it"
    lines = _wrap(f"Running it: main() {ending}, after {seen.elapsed:.2f} s.", "", subsequent="  ")
    for event in seen.printed:
        for text in str(event.value).split("\n"):
            lines.append(f"  {event.at:5.2f} s  printed  {text}")
    if seen.services:
        lines += ["  " + row for row in render(seen.services, until=seen.elapsed).split("\n")]
        lines += ["  " + _peak(s.name, s.peak) for s in seen.services]
    lines += [f"  Python said: {note.rstrip('.')}." for note in seen.warnings]
    slow = question.ask == "elapsed" and seen.elapsed > float(question.answer)  # type: ignore[arg-type]
    if disagreement is not None and slow:
        lines.append(f"  (This run was slower than the snippet's waiting, about "
                     f"{float(question.answer):g} s: the machine is busy just now.)")  # type: ignore[arg-type]
    elif disagreement is not None:
        lines.append(f"  This run does not match the answer key, a mistake in the kit: {disagreement} "
                     "Please report it.")
    return "\n".join(lines)


def _peak(name: str, peak: int) -> str:
    if peak == 0:
        return f"No call of {name} ever started."
    if peak == 1:
        return f"At most 1 call of {name} was in flight at a time."
    return f"At most {peak} calls of {name} were in flight at once."


def explanation(question: Question) -> str:
    return "\n".join(["", *_wrap(f"Why: {question.explain}", "")])


def _error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _wrap(text: str, indent: str, subsequent: str | None = None) -> list[str]:
    # Prose fits the terminal (COLUMNS counts too), within 40 to 88 columns; code is never wrapped.
    width = max(40, min(88, shutil.get_terminal_size((89, 24)).columns - 1))
    return textwrap.wrap(" ".join(text.split()), width, initial_indent=indent,
                         subsequent_indent=indent if subsequent is None else subsequent)


def _one_line(text: str) -> str:
    return " then ".join(text.split("\n"))
