"""The `grader quiz` command: parse, pick the challenges, delegate the round to `play`, present.

Registered in grader/cli.py with `main.add_command(quiz)`; it uses only the kit folder and the
catalog that the group puts in the click context (ctx.obj.kit, ctx.obj.challenges, ctx.obj.pick),
so it does not import the cli module. Exit codes: 0 every answer right (or --reveal), 1 some answer
wrong, 2 a usage or set-up error, 130 stopped with Ctrl-C.

Imports grader.catalog, errors and progress, and the quiz's history, loader, model, play and
present.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path
from typing import Any

import click

from grader import progress
from grader.catalog import Challenge
from grader.errors import GraderError
from grader.quiz import loader, play, present
from grader.quiz.history import History
from grader.quiz.model import Question


@click.command("quiz")
@click.argument("ids", nargs=-1)
@click.option("-n", "--count", default=5, show_default=True, type=click.IntRange(1, 100),
              help="How many questions to ask.")
@click.option("--reveal", is_flag=True, help="For instructors: print the questions of the chosen "
              "challenges (default: all) with their answers and explanations, without asking.")
@click.option("--seed", type=int, hidden=True, help="Pick the same questions every time (for tests).")
@click.pass_obj
def quiz(app: Any, ids: tuple[str, ...], count: int, reveal: bool, seed: int | None) -> None:
    """Predict what short asyncio snippets do, then watch them run.

    The questions come from the challenges you have passed (or the IDS given): what a snippet
    prints, returns or raises, how long it takes, how many calls are in flight at once. Answer with
    a letter or by typing the value; Ctrl-D ends the round early, with your score so far.
    """
    if reveal:
        _reveal(loader.load_many(app.pick(ids)))
        return
    chosen = app.pick(ids) if ids else _passed_or_first(app.kit, app.challenges)
    questions = loader.load_many(chosen)
    if not questions:
        raise GraderError(f"No quiz questions for {', '.join(c.id for c in chosen)} yet.\n"
                          "Next step: `grader quiz 1` asks about the first challenge.")
    history = History.load(app.kit)
    if history.problem:
        click.echo(f"Note: {history.problem}.", err=True)
    picked = play.choose(questions, count, history, random.Random(seed))
    titles = {c.id: f"{c.number:02d} {c.title}" for c in chosen}
    click.echo(f"Quiz: {len(picked)} question(s) about {', '.join(_challenges_of(picked))}. Answer each one, "
               f"then see the snippet run. {play.END_KEY} ends the round.")
    score = play.Score(planned=len(picked))
    try:
        play.play(picked, titles, _read, _write, score, history)
    except KeyboardInterrupt:
        score.stopped = "Ctrl-C"
        click.echo()
    if score.asked:
        history.add_round(score.asked, score.right)
    history.save()
    paths = {c.id: f"challenges/{c.id}/README.md" for c in chosen}
    click.echo("\n" + play.summary(score, titles, paths))
    sys.exit(130 if score.stopped == "Ctrl-C" else 0 if score.perfect else 1)


def _passed_or_first(kit: Path, challenges: list[Challenge]) -> list[Challenge]:
    done = progress.passed(kit)  # the learner's progress file, as `grader check` records it
    chosen = [c for c in challenges if c.id in done]
    if chosen or not challenges:
        return chosen
    first = challenges[0]
    click.echo(f"You have not passed a challenge yet, so these questions are about {first.id}, the "
               f"first one. (`grader check {first.number}` records a pass; `grader quiz ID` picks "
               "any challenge.)")
    return [first]


def _challenges_of(questions: list[Question]) -> list[str]:
    return list(dict.fromkeys(q.challenge for q in questions))


def _read(prompt: str) -> str | None:
    click.echo(prompt, nl=False)
    line = sys.stdin.readline()
    if not line:  # end of input: Ctrl-D on a terminal, or the end of a pipe
        click.echo()
        return None
    if not sys.stdin.isatty():  # a terminal shows what was typed; a transcript of a pipe should too
        click.echo(line.rstrip("\n"))
    return line


def _write(text: str, colour: str | None) -> None:
    plain = colour is None or os.environ.get("NO_COLOR")  # click drops colour off a terminal itself
    click.echo(text if plain else click.style(text, fg=colour))


def _reveal(questions: list[Question]) -> None:
    for question in questions:
        click.echo(present.question_text(question, question.key))
        click.secho(f"Answer: {present.key_text(question)}", bold=True)
        click.echo(present.explanation(question) + "\n")
    click.echo(f"{len(questions)} question(s). The kit's tests run every snippet against its answer "
               "(tests/test_quiz_keys.py).")
