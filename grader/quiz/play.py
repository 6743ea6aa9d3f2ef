"""One quiz round: pick the questions, ask each one, judge the answer, run the snippet to show what
really happens, explain, and keep the score.

Input and output come in as two functions (read a line after a prompt; write a block of text), so a
terminal, a pipe and the tests drive the same code. Ctrl-C is not caught here: the command ends the
round with the score so far. Imports the quiz's answers, history, keycheck, model, present and
runner.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from grader.quiz import answers, keycheck, present, runner
from grader.quiz.history import History
from grader.quiz.model import Question

Read = Callable[[str], str | None]        # prompt -> the line typed, or None at the end of input
Write = Callable[[str, str | None], None]  # text, colour (None: plain)
END_KEY = "Ctrl-Z then Enter" if sys.platform == "win32" else "Ctrl-D"


@dataclass
class Score:
    planned: int
    asked: int = 0
    right: int = 0
    missed: list[Question] = field(default_factory=list)
    stopped: str = ""  # "" when every question was asked; else why the round ended early

    @property
    def perfect(self) -> bool:
        return self.right == self.asked


def choose(questions: list[Question], count: int, history: History,
           rng: random.Random | None = None) -> list[Question]:
    """Up to `count` questions at random, those never answered right first, asked in kit order
    (challenge by challenge, as the concepts build on each other)."""
    rng = rng or random.Random()
    fresh = [q for q in questions if not history.right_before(q.key)]
    known = [q for q in questions if history.right_before(q.key)]
    rng.shuffle(fresh)
    rng.shuffle(known)
    picked = {q.key for q in (fresh + known)[:count]}
    return [q for q in questions if q.key in picked]


def play(questions: list[Question], titles: dict[str, str], read: Read, write: Write,
         score: Score, history: History) -> None:
    """Ask every question in turn, updating score and history as it goes (so an interrupted round
    still counts what was answered)."""
    for number, question in enumerate(questions, 1):
        title = f"Question {number} of {len(questions)} · {titles[question.challenge]}"
        write("\n" + present.question_text(question, title), None)
        reply = _ask(question, read, write)
        if reply is None:
            score.stopped = "end of input"
            return
        score.asked += 1
        score.right += reply.right
        if not reply.right:
            score.missed.append(question)
        history.record(question.key, reply.right)
        write(present.verdict(question, reply.right, reply.given), "green" if reply.right else "red")
        seen = runner.run(question)
        write(present.observed(question, seen, keycheck.disagreement(question, seen)), None)
        write(present.explanation(question), None)


def _ask(question: Question, read: Read, write: Write) -> answers.Reply | None:
    while True:
        text = read(present.prompt(question))
        if text is None:
            return None
        reply = answers.judge(question, text)
        if reply.understood:
            return reply
        write(f"{reply.problem} ({END_KEY} ends the round.)", "yellow")


def summary(score: Score, titles: dict[str, str], paths: dict[str, str]) -> str:
    """The score, what to review, and one next step."""
    if score.stopped and score.asked == 0:
        return (f"Round stopped ({score.stopped}) before any answer.\n"
                "Next step: `grader quiz` when you are ready.")
    head = f"Score: {score.right} of {score.asked} right."
    if score.stopped:
        head = f"Round stopped ({score.stopped}) after {score.asked} of {score.planned} questions. " + head
    lines = [head]
    for challenge in dict.fromkeys(q.challenge for q in score.missed):
        lines.append(f"  To review: {titles[challenge]} ({paths[challenge]}, 'Concept recap').")
    if score.perfect:
        lines.append("Next step: `grader quiz` again for other questions, or `grader check` your next "
                     "challenge.")
    else:
        lines.append("Next step: read that recap, then `grader quiz` again (questions you have not "
                     "answered right yet come first).")
    return "\n".join(lines)
