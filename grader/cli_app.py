"""What every `grader` command shares: the App (kit, catalog, progress) handed to each command, the
terminal's width, and the way a command stops on Ctrl-C (one sentence, exit 130).

Imports grader.catalog, interrupt, kit, progress, schedule, stubs and grader.report.fit.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from grader import catalog, schedule, stubs
from grader.interrupt import EXIT_CODE
from grader.kit import challenge_here, find_kit
from grader.progress import Progress
from grader.report.fit import fit


class App:
    """What every command needs: the kit folder, its validated catalog and the learner's progress."""

    def __init__(self, kit: Path | None) -> None:
        self.kit = (kit or find_kit()).resolve()
        self.challenges = catalog.discover(self.kit)
        self.progress = Progress.load(self.kit)
        if self.progress.notice:
            say(self.progress.notice, err=True)
        stubs.remember(self.challenges)  # while they are untouched: `grader reset` needs them

    def pick(self, ids: tuple[str, ...]) -> list[catalog.Challenge]:
        return catalog.resolve(self.challenges, list(ids)) if ids else list(self.challenges)

    def pick_here(self, ids: tuple[str, ...]) -> list[catalog.Challenge]:
        """The challenges named; else the one whose folder the learner is in; else all."""
        here = challenge_here(self.kit)
        return self.pick(ids or ((here,) if here else ()))

    def one(self, challenge_id: str | None, command: str) -> catalog.Challenge:
        """The challenge named, or the one whose folder the learner is in."""
        here = challenge_here(self.kit)
        if challenge_id is None and here is None:
            raise click.UsageError(f"Which challenge? Give its number, as in `grader {command} 2`, "
                                   "or run the command inside the challenge's folder.")
        return self.pick((challenge_id or str(here),))[0]


pass_app = click.make_pass_decorator(App)


def jobs_option(what: str) -> Any:
    """--jobs for a command running several things at once (grader/schedule.py)."""
    return click.option(
        "--jobs", "-j", default=schedule.default_jobs(), show_default=True,
        type=click.IntRange(1, 64),
        help=f"{what} run at the same time. Most of a run is waiting, so this saves time; a run "
             "that shared the machine and lost points on a timing check is measured again alone "
             "before its verdict, so the load never decides one. 1 runs one at a time.")


def width() -> int:
    """The terminal's columns (COLUMNS first, as shutil does), never fewer than 40."""
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def say(text: str, err: bool = False, **style: Any) -> None:
    """Echo text fitted to the terminal's width (style: click.secho's colours)."""
    text = fit(text, width())
    click.echo(click.style(text, **style) if style else text, err=err)  # no reset code if unstyled


def stopped(sentence: str) -> NoReturn:
    """Ctrl-C: one sentence on what was stopped, and the shell's exit code for it."""
    say(f"\n{sentence}", err=True)
    sys.exit(EXIT_CODE)


class LazyGroup(click.Group):
    """A command group some of whose commands live in other modules, named "module:attribute" and
    imported only when run or listed (the pattern of click's docs, "Lazily Loading Subcommands")."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)
