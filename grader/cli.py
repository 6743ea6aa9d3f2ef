"""The `grader` command line. Commands parse, delegate and present; the work is done elsewhere.

Exit codes: 0 everything asked for passed, 1 something failed, 2 a usage or set-up error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader import __version__, catalog, watcher
from grader.grade import grade, kit_layout, solutions_folder
from grader.kit import find_kit
from grader.model import ChallengeResult, Status
from grader.progress import Progress
from grader.report import FORMATS, terminal
from grader.run import run_challenge

STATUS_COLOUR = {Status.PASSED: "green", Status.FAILED: "red", Status.ERROR: "yellow",
                 Status.TIMEOUT: "yellow"}


class App:
    """What every command needs: the kit folder and its validated catalog."""

    def __init__(self, kit: Path | None) -> None:
        self.kit = (kit or find_kit()).resolve()
        self.challenges = catalog.discover(self.kit)
        self.progress = Progress.load(self.kit)

    def pick(self, ids: tuple[str, ...]) -> list[catalog.Challenge]:
        return catalog.resolve(self.challenges, list(ids)) if ids else list(self.challenges)


pass_app = click.make_pass_decorator(App)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--kit", type=click.Path(file_okay=False, path_type=Path),
              help="The kit's top folder (default: found from the current folder).")
@click.version_option(__version__, prog_name="grader")
@click.pass_context
def main(ctx: click.Context, kit: Path | None) -> None:
    """Challenges that teach asyncio by doing: list them, check your work, get hints, grade."""
    ctx.obj = App(kit)


@main.command("list")
@pass_app
def list_(app: App) -> None:
    """Show every challenge with its level, points and your progress."""
    click.echo(f"{'id':<24} {'title':<30} {'level':<13} {'points':>6}  status")
    for c in app.challenges:
        last = app.progress.checks.get(c.id)
        status = (f"{last['status']} {terminal.points(last['score'])}/{c.points}" if last
                  else "not checked yet")
        click.echo(f"{c.id:<24} {c.title:<30} {c.level:<13} {c.points:>6}  {status}")
    click.echo("\nNext step: edit challenges/<id>/solution.py, then run `grader check <number>`.")


@main.command()
@click.argument("ids", nargs=-1)
@click.option("--all", "keep_going", is_flag=True, help="Check every challenge, not only up to "
              "the first that fails.")
@click.option("-v", "--verbose", is_flag=True, help="Also show what the test run printed.")
@pass_app
def check(app: App, ids: tuple[str, ...], keep_going: bool, verbose: bool) -> None:
    """Check your solutions (all challenges in order, stopping at the first that fails)."""
    chosen = app.pick(ids)
    failed = False
    for challenge in chosen:
        click.echo(f"Checking {challenge.id} ...", err=True)
        result = run_challenge(challenge, challenge.stub)
        _remember(app, result)
        _echo_result(result, verbose)
        failed = failed or not result.passed
        if failed and not ids and not keep_going:
            break
    if not failed and not ids:
        click.secho(f"All {len(chosen)} challenges pass. Well done!", fg="green")
    sys.exit(1 if failed else 0)


def _remember(app: App, result: ChallengeResult) -> None:
    app.progress.record_check(result.id, str(result.status), result.score, result.max_score)
    app.progress.save()


def _echo_result(result: ChallengeResult, verbose: bool) -> None:
    text = terminal.check_view(result, verbose=verbose)
    head, _, rest = text.partition("\n")
    click.secho(head, fg=STATUS_COLOUR.get(result.status), bold=True)
    if rest:
        click.echo(rest)
    click.echo()


@main.command()
@click.argument("ids", nargs=-1)
@pass_app
def watch(app: App, ids: tuple[str, ...]) -> None:
    """Check a challenge again every time you save its solution.py (Ctrl-C to stop)."""
    chosen = app.pick(ids) if ids else app.challenges
    first = next((c for c in chosen if not app.progress.passed(c.id)), chosen[0])
    by_stub = {c.stub: c for c in chosen}
    click.echo(f"Watching {len(chosen)} solution file(s). Save one to check it; Ctrl-C stops.\n")
    try:
        _watch_once(app, first)
        for changed in watcher.changes(by_stub):
            _watch_once(app, by_stub[changed])
    except KeyboardInterrupt:
        click.echo("\nStopped watching.")


def _watch_once(app: App, challenge: catalog.Challenge) -> None:
    click.echo(f"Checking {challenge.id} ...", err=True)
    result = run_challenge(challenge, challenge.stub)
    _remember(app, result)
    _echo_result(result, verbose=False)
    if result.passed:
        click.secho(f"{challenge.id} passes. Save another solution.py to check it.", fg="green")


@main.command()
@click.argument("challenge_id")
@click.option("--all", "show_all", is_flag=True, help="Show every hint at once.")
@click.option("--reset", is_flag=True, help="Forget which hints you have seen.")
@pass_app
def hint(app: App, challenge_id: str, show_all: bool, reset: bool) -> None:
    """Show the next hint for a challenge (one more each time you ask)."""
    (challenge,) = app.pick((challenge_id,))
    if reset:
        app.progress.hints.pop(challenge.id, None)
    total = len(challenge.hints)
    shown = total if show_all else app.progress.next_hint(challenge.id, total)
    app.progress.save()
    for number, text in enumerate(challenge.hints[:shown], 1):
        click.echo(f"Hint {number}/{total}: {text}\n")
    if shown < total:
        click.echo(f"Run `grader hint {challenge.number}` again for the next hint.")
    else:
        click.echo("That was the last hint. The README's concept recap may help too.")


@main.command()
@click.argument("challenge_id")
@pass_app
def solution(app: App, challenge_id: str) -> None:
    """Show the reference solution of a challenge you have passed."""
    (challenge,) = app.pick((challenge_id,))
    reference = app.kit / "solutions" / f"{challenge.id}.py"
    if not app.progress.passed(challenge.id):
        raise click.ClickException(f"Pass {challenge.id} first (`grader check "
                                   f"{challenge.number}`); the reference is shown after that.")
    if not reference.is_file():
        raise click.ClickException("This copy of the kit has no reference solutions.")
    click.echo(reference.read_text(encoding="utf-8"))


@main.command("grade")
@click.argument("submission", required=False,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--solutions", "solutions_dir", type=click.Path(exists=True, file_okay=False,
              path_type=Path), help="Grade files named <id>.py in this folder instead.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="table",
              show_default=True, help="Report format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of the screen.")
@click.option("-c", "--challenge", "ids", multiple=True, metavar="ID",
              help="Grade only this challenge (repeatable; default: all).")
@pass_app
def grade_cmd(app: App, submission: Path | None, solutions_dir: Path | None, fmt: str,
              output: Path | None, ids: tuple[str, ...]) -> None:
    """Grade a submission (a folder laid out like the kit; default: this kit) with the kit's tests."""
    if submission and solutions_dir:
        raise click.UsageError("Give a SUBMISSION folder or --solutions DIR, not both.")
    if solutions_dir:
        solution_for, label = solutions_folder(solutions_dir), str(solutions_dir)
    else:
        folder = submission or app.kit
        solution_for, label = kit_layout(folder), str(folder)
    report = grade(app.pick(ids), solution_for, submission=label,
                   on_result=lambda r: click.echo(terminal.headline(r), err=True))
    _emit(FORMATS[fmt](report), output)
    sys.exit(0 if report.passed else 1)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Report written to {output}.", err=True)

