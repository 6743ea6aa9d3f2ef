"""The `grader` command line: the group, and the instructor's commands (grade, template, gradescope,
batch, merge); the learner's are in cli_learn.py, the quiz in grader/quiz/. Commands parse,
delegate and present.

Exit codes: 0 everything asked for passed, 1 something failed, 2 a usage or set-up error.

Imports the modules it delegates to: interrupt, model, sandbox, cli_app, cli_learn, grader.report
(terminal, workflow_text); and, only when their command runs, batch, grade, gradebook, explain,
grader.report's other formats, the classroom package's manifest, pin and template, the gradescope
package's autograder_zip and the quiz's command (`grader check` waits for none of them). No module
of the grader imports it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from grader import __version__, cli_learn, sandbox
from grader.cli_app import App, LazyGroup, jobs_option, pass_app, stopped
from grader.interrupt import interruptible, stop_if_cancelled
from grader.model import ChallengeResult, GradeReport
from grader.report import FORMAT_NAMES, terminal
from grader.report.workflow_text import neutralise

__all__ = ["App", "main", "pass_app"]  # App and pass_app: for commands defined in other modules


# Commands of other modules, imported when run (or listed by --help): `grader check`, run again and
# again, does not wait for the quiz's or the explanations' imports.
LAZY_COMMANDS = {"quiz": "grader.quiz.command:quiz", "explain": "grader.explain:explain"}


@click.group(cls=LazyGroup, lazy=LAZY_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--kit", type=click.Path(file_okay=False, path_type=Path),
              help="The kit's top folder (default: found from the current folder).")
@click.version_option(__version__, prog_name="grader")
@click.pass_context
def main(ctx: click.Context, kit: Path | None) -> None:
    """Challenges that teach asyncio by doing: list them, check your work, get hints, grade."""
    if os.environ.get("NO_COLOR"):  # https://no-color.org: any non-empty value turns colour off
        ctx.color = False
    ctx.obj = App(kit)


for _command in cli_learn.COMMANDS:
    main.add_command(_command)


@main.command("grade")
@click.argument("submission", required=False,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--solutions", "solutions_dir", type=click.Path(exists=True, file_okay=False,
              path_type=Path), help="Grade files named <id>.py in this folder instead.")
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default="table",
              show_default=True, help="Report format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of the screen.")
@click.option("-c", "--challenge", "ids", multiple=True, metavar="ID",
              help="Grade only this challenge (repeatable; default: all).")
@jobs_option("Challenges")
@pass_app
def grade_cmd(app: App, submission: Path | None, solutions_dir: Path | None, fmt: str,
              output: Path | None, ids: tuple[str, ...], jobs: int) -> None:
    """Grade a submission (a folder laid out like the kit; default: this kit) with the kit's tests."""
    from grader.classroom import manifest
    from grader.grade import grade, kit_layout, solutions_folder
    from grader.report import FORMATS

    if submission and solutions_dir:
        raise click.UsageError("Give a SUBMISSION folder or --solutions DIR, not both.")
    folder = solutions_dir or submission or app.kit
    if folder != app.kit:
        sandbox.say_once()  # someone else's code: say if it cannot be isolated here
    solution_for = solutions_folder(folder) if solutions_dir else kit_layout(folder)
    label = str(folder)
    target = _classroom_target(output) if fmt == "classroom" else None  # fail before grading

    def done(result: ChallengeResult) -> None:
        stop_if_cancelled()  # Ctrl-C: the run just stopped is not reported; the rest do not start
        click.echo(neutralise(terminal.headline(result)), err=True)

    try:
        report = interruptible(lambda: grade(app.pick(ids), solution_for, submission=label,
                                             root=folder, on_result=done, jobs=jobs))
    except KeyboardInterrupt:
        stopped("Stopped: grading was interrupted, so no report was written.")
    report = manifest.enforce(app.kit, report, complete=not ids)
    if target is not None:
        _emit_classroom(report, target)
    else:
        _emit(FORMATS[fmt](report), output)
    sys.exit(0 if report.passed else 1)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Report written to {output}.", err=True)


def _classroom_target(output: Path | None) -> Path:
    """Where Classroom outputs go: --output, else the step's $GITHUB_OUTPUT file."""
    if output is not None:
        return output
    if os.environ.get("GITHUB_OUTPUT"):
        return Path(os.environ["GITHUB_OUTPUT"])
    raise click.UsageError("--format classroom writes step outputs for GitHub Actions, and "
                           "GITHUB_OUTPUT is not set.\nNext step: run it inside the workflow, or "
                           "add --output FILE to see the outputs.")


def _emit_classroom(report: GradeReport, target: Path) -> None:
    from grader.report import classroom

    with target.open("a", encoding="utf-8") as outputs:  # appended, as the runner expects
        outputs.write(classroom.render(report))
    click.echo(classroom.summary(report), nl=False)


@main.command("template")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--kit-repo", metavar="OWNER/NAME", help="The repository the workflow takes the "
              "pristine tests and grader from (default: the student's own copy, checked).")
@click.option("--kit-ref", metavar="SHA|TAG", help="The commit (best) or tag of --kit-repo.")
@click.option("-c", "--challenge", "ids", multiple=True, metavar="ID",
              help="Put only this challenge in the template (repeatable; default: all).")
@click.option("--force", is_flag=True, help="Write into OUT even if it is not empty.")
@pass_app
def template_cmd(app: App, out: Path, kit_repo: str | None, kit_ref: str | None,
                 ids: tuple[str, ...], force: bool) -> None:
    """Write the student template: challenges, grader and a GitHub Classroom workflow."""
    from grader.classroom import template
    from grader.classroom.pin import pin_for

    if bool(kit_repo) != bool(kit_ref):
        raise click.UsageError("Give --kit-repo and --kit-ref together (or neither).")
    try:
        pin = pin_for(kit_repo, kit_ref, [app.kit, out]) if kit_repo and kit_ref else None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    written = template.write(app.kit, app.pick(ids), out, pin=pin, force=force)
    click.echo(f"Wrote {written.files} files for {len(written.challenges)} challenges to {out}.")
    if pin is None:
        click.echo("No --kit-repo/--kit-ref: the workflow grades with the tests in each student's "
                   "repository and zeroes any challenge whose tests were edited.")
    elif not pin.immutable:
        click.echo(f"Note: {pin.ref} is a tag or branch; a commit SHA cannot be moved later.")
    click.echo("Next step: docs/instructors.md, 'GitHub Classroom'.")


@main.command("gradescope")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-c", "--challenge", "ids", multiple=True, metavar="ID",
              help="Put only this challenge in the autograder (repeatable; default: all).")
@pass_app
def gradescope_cmd(app: App, out: Path, ids: tuple[str, ...]) -> None:
    """Build a Gradescope autograder zip (setup.sh, run_autograder, the kit without solutions)."""
    from grader.gradescope import autograder_zip

    built = autograder_zip.build(app.kit, app.pick(ids), out)
    click.echo(f"Wrote {out} ({len(built.names)} files). Next step: docs/instructors.md, "
               "'Gradescope'.")



WEAK_HELP = ("Grade even where the tests cannot run in namespaces of their own (no unprivileged user "
             "namespaces, not root): a submission could then read your files, the reference "
             "solutions included. See docs/grading-a-class.md.")
SHARD_HELP = ("Grade only the K-th of N equal shares of the class (for example 2/4), so a CI matrix "
              "grades a big class in parallel; `grader merge` joins the shards' outputs. "
              "See docs/grading-a-class.md for a GitHub Actions matrix.")


@main.command("batch")
@click.argument("class_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False,
                path_type=Path))
@click.argument("ids", nargs=-1)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for gradebook.csv, gradebook.json and students/<name>.json.")
@jobs_option("Students")
@click.option("--shard", default="1/1", show_default=True, metavar="K/N", help=SHARD_HELP)
@click.option("--force", is_flag=True, help="Grade every student again, even those already saved.")
@click.option("--timeout", type=click.FloatRange(1, 3600), metavar="SECONDS",
              help="Wall-clock budget per challenge (default: each challenge's own).")
@click.option("--allow-weak-isolation", is_flag=True, help=WEAK_HELP)
@pass_app
def batch_cmd(app: App, class_dir: Path, ids: tuple[str, ...], out: Path, jobs: int, shard: str,
              force: bool, timeout: float | None, allow_weak_isolation: bool) -> None:
    """Grade a class: one student per subfolder of DIR, each laid out like the kit.

    Only challenges/<id>/solution.py is read from each student's folder (missing: not submitted).
    Each student's report is saved the moment the student is done, so an interrupted batch picks up
    where it stopped when run again (--force grades everyone again). IDS limits the challenges.
    Exits 0 once the gradebook is complete (the students' scores are in it), 130 if interrupted.
    """
    from grader import batch

    try:
        shard_k_n = batch.parse_shard(shard)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shard") from None
    challenges = app.pick(ids)
    students = batch.pick_shard(batch.find_students(class_dir), *shard_k_n)
    options = batch.Options(jobs=jobs, shard=shard_k_n, force=force, timeout=timeout,
                            allow_weak_isolation=allow_weak_isolation)
    batch.sandbox.say_once()  # probed (and any weakness said) before the progress bar starts
    with click.progressbar(length=len(students), label="Grading", file=sys.stderr,
                           show_pos=True, item_show_func=lambda name: name) as bar:
        def done(name: str, report: GradeReport) -> None:
            bar.update(1, f"{name} {terminal.points(report.score)}/{terminal.points(report.max_score)}")

        try:
            summary = batch.run(class_dir, out, challenges, options, on_student=done,
                                on_start=lambda s: bar.update(s.kept, "kept from an earlier run"))
        except KeyboardInterrupt:
            click.echo("\nInterrupted. Every student finished so far is saved; run the same "
                       "command again to grade the rest.", err=True)
            sys.exit(130)
    click.echo(f"{summary.students} students: {summary.graded} graded now, {summary.kept} kept from "
               f"an earlier run. Gradebook: {out / 'gradebook.csv'}", err=True)


@main.command("merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False,
                path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the merged gradebook (it may be one of the shards).")
def merge_cmd(shards: tuple[Path, ...], out: Path) -> None:
    """Merge the outputs of `grader batch --shard` runs into one gradebook."""
    from grader import gradebook

    reports, warnings = gradebook.merge(list(shards), out)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{len(reports)} students from {len(shards)} shard(s). Gradebook: "
               f"{out / 'gradebook.csv'}", err=True)
