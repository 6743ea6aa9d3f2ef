"""The learner's commands: list, check, watch, hint, solution, next and reset. They parse, call
grader.learner, stubs and progress, and present; grader/cli.py adds them to the `grader` group.

Imports grader.catalog, cli_app, learner, model, progress, stubs, watcher and
grader.report.terminal.
"""

from __future__ import annotations

import sys

import click

from grader import catalog, learner, progress, stubs, watcher
from grader.cli_app import App, jobs_option, pass_app, say, stopped, width
from grader.model import ChallengeResult, Status
from grader.report import terminal

STATUS_COLOUR = {Status.PASSED: "green", Status.FAILED: "red", Status.ERROR: "yellow",
                 Status.TIMEOUT: "yellow", Status.INCONCLUSIVE: "yellow"}


@click.command("list")
@pass_app
def list_(app: App) -> None:
    """Show every challenge with its level, points and your progress."""
    click.echo(learner.listing(app.challenges, app.progress, width()))
    say(f"\n{learner.progress_line(app.challenges, app.progress.passed_ids)}")
    say("Next step: edit challenges/<id>/solution.py, then run `grader check <number>`.")


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--all", "keep_going", is_flag=True, help="Check every challenge, not only up to "
              "the first that fails.")
@click.option("-v", "--verbose", is_flag=True, help="Also show what the test run printed.")
@click.option("--timeline", is_flag=True, help="Show what your code did (a timeline of its calls) "
              "for passing tests too.")
@jobs_option("Challenges")
@pass_app
def check(app: App, ids: tuple[str, ...], keep_going: bool, verbose: bool, timeline: bool,
          jobs: int) -> None:
    """Check your solutions (all challenges in order, stopping at the first that fails).

    Inside a challenge's folder, `grader check` checks that challenge."""
    chosen = app.pick_here(ids)
    results: list[ChallengeResult] = []
    names = ", ".join(c.id for c in chosen[:3]) + (", and more" if len(chosen) > 3 else "")
    click.echo(f"Checking {names} ...", err=True)
    try:
        for result in learner.check_all(app.kit, chosen, jobs):
            results.append(result)
            _echo_result(result, verbose, timeline)
            if not result.passed and not ids and not keep_going:
                break
    except KeyboardInterrupt:
        rest = " or the challenges after it" if len(results) + 1 < len(chosen) else ""
        stopped(f"Stopped: the check of {chosen[len(results)].id} was interrupted, so nothing was "
                f"recorded for it{rest}.")
    passed = progress.passed(app.kit)
    if len(chosen) > 1:
        say(learner.summary(results, len(chosen), stopped_early=len(results) < len(chosen)))
    elif results[0].passed:
        say(learner.after_pass(results[0], app.challenges, passed), fg="green")
    say(learner.progress_line(app.challenges, passed))
    sys.exit(0 if all(r.passed for r in results) else 1)


def _echo_result(result: ChallengeResult, verbose: bool, timeline: bool = False) -> None:
    text = terminal.check_view(result, verbose=verbose, width=width(), timelines=timeline)
    head, _, rest = text.partition("\n")
    click.secho(head, fg=STATUS_COLOUR.get(result.status), bold=True)
    if rest:
        click.echo(rest)
    click.echo()


@click.command()
@click.argument("ids", nargs=-1)
@pass_app
def watch(app: App, ids: tuple[str, ...]) -> None:
    """Check a challenge again every time you save its solution.py (Ctrl-C to stop)."""
    chosen = app.pick_here(ids)
    first = next((c for c in chosen if not app.progress.passed(c.id)), chosen[0])
    by_stub = {c.stub: c for c in chosen}
    what = f"{chosen[0].id}/solution.py" if len(chosen) == 1 else f"{len(chosen)} solution files"
    say(f"Watching {what}. Save to check again; Ctrl-C stops.\n")
    try:
        saves = watcher.changes(by_stub)  # stamps taken now: a save during the first check counts
        _watch_once(app, first, len(chosen))
        for changed in saves:
            _watch_once(app, by_stub[changed], len(chosen))
    except KeyboardInterrupt:
        stopped("Stopped watching.")


def _watch_once(app: App, challenge: catalog.Challenge, watched: int) -> None:
    click.echo(f"Checking {challenge.id} ...", err=True)
    result = learner.check(app.kit, challenge)
    _echo_result(result, verbose=False)
    passed = progress.passed(app.kit)
    if result.passed:
        again = "solution.py again" if watched == 1 else "any solution.py"
        say(f"{challenge.id} passes. Save {again} to check it; Ctrl-C stops watching.", fg="green")
        say(learner.after_pass(result, app.challenges, passed))
    say(learner.progress_line(app.challenges, passed) + "\n")


@click.command()
@click.argument("challenge_id", required=False)
@click.option("--all", "show_all", is_flag=True, help="Show every hint at once.")
@click.option("--reset", is_flag=True, help="Forget which hints you have seen.")
@pass_app
def hint(app: App, challenge_id: str | None, show_all: bool, reset: bool) -> None:
    """Show the next hint for a challenge (one more each time you ask).

    Inside a challenge's folder the number may be left out."""
    challenge = app.one(challenge_id, "hint")
    if reset:
        app.progress.hints.pop(challenge.id, None)
    total = len(challenge.hints)
    shown = total if show_all else app.progress.next_hint(challenge.id, total)
    app.progress.save()
    for number, text in enumerate(challenge.hints[:shown], 1):
        say(f"Hint {number}/{total}: {text}\n")
    if shown < total:
        say(f"Run `grader hint {challenge.number}` again for the next hint.")
    else:
        say("That was the last hint. The README's concept recap may help too.")


@click.command()
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


@click.command("next")
@pass_app
def next_(app: App) -> None:
    """Show the first challenge you have not passed yet, and how to start it."""
    say(learner.next_text(app.challenges, app.progress.passed_ids))


@click.command()
@click.argument("challenge_id", required=False)
@click.option("-y", "--yes", is_flag=True, help="Do not ask before replacing your solution.py.")
@pass_app
def reset(app: App, challenge_id: str | None, yes: bool) -> None:
    """Put a challenge's original solution.py back; yours is kept in .grader/backups first.

    Inside a challenge's folder the number may be left out."""
    challenge = app.one(challenge_id, "reset")
    rel = stubs.relative(challenge)
    if stubs.is_original(challenge):
        say(f"{rel} is already the original stub: nothing to do.")
        return
    stubs.original(challenge)  # no original to be had: say so before asking anything
    if challenge.stub.is_file() and not yes and not click.confirm(
            f"Replace your {rel} with the original stub? (A copy of yours is kept.)"):
        say("Nothing was changed.")
        sys.exit(1)
    done = stubs.reset(challenge)
    kept = f" Your version is kept in {done.backup}." if done.backup else ""
    say(f"Restored the original {rel}.{kept}")
    say(f"Next step: read challenges/{challenge.id}/README.md, then run "
        f"`grader check {challenge.number}`.")


COMMANDS = (list_, check, watch, hint, solution, next_, reset)
