"""`grader explain [CODE]`: the idea behind a diagnosis, with a small example that shows it.

The texts and examples live in grader/testkit/explanations.toml (beside the diagnoses); this module
only presents them. Imports click, the testkit's explanations and nothing of the CLI, so cli.py
needs just one import and one add_command.
"""

from __future__ import annotations

import difflib
import shutil
import textwrap
from typing import Any

import click

from grader.testkit import explanations
from grader.testkit.explanations import Explanation


@click.command("explain")
@click.argument("code", required=False)
@click.option("--run", "run_it", is_flag=True, help="Also run the example now and show what it prints.")
@click.pass_context
def explain(ctx: click.Context, code: str | None, run_it: bool) -> None:
    """The idea behind a diagnosis (the word in [brackets] after a failed test), with an example.

    Without CODE, list every diagnosis code.
    """
    every = explanations.load()
    if code is None:
        click.echo(listing(every))
        return
    found = every.get(code.strip().strip("[]").lower())
    if found is None:
        close = difflib.get_close_matches(code, list(every), n=3)
        also = f" Did you mean {', '.join(close)}?" if close else ""
        raise click.UsageError(f"There is no diagnosis called {code!r}.{also} `grader explain` "
                               "lists them all.")
    click.echo(page(found, _titles(ctx.obj), _width()))
    if run_it:
        click.echo(ran(found))


def listing(every: dict[str, Explanation]) -> str:
    width = max(map(len, every))
    lines = ["Diagnosis codes (a failed test shows its code in [brackets]):", ""]
    lines += [f"  {code:<{width}}  {item.diagnosis.title}" for code, item in every.items()]
    lines += ["", "Next step: `grader explain CODE` shows the idea behind one, with an example."]
    return "\n".join(lines)


def page(item: Explanation, titles: dict[int, str], width: int) -> str:
    """Everything about one code: title, concept, example, its output, where it is taught."""
    wrap = textwrap.TextWrapper(width=width)
    lines = [f"{item.code}: {item.diagnosis.title}", "", wrap.fill(item.concept), "",
             wrap.fill("Example, the wrong way and the right way (save it as example.py and run "
                       f"`python example.py`, or run `grader explain {item.code} --run`):"), "",
             textwrap.indent(item.example, "    "), "", "It prints:", "",
             textwrap.indent(item.output, "    ")]
    if item.stderr:
        lines += ["", "and Python warns:", "", *(f"    {line}" for line in item.stderr)]
    where = [f"{n:02d} {titles[n]}" if n in titles else f"{n:02d}" for n in item.challenges]
    lines += ["", wrap.fill("Where you meet it: " + (", ".join(where) if where else
                                                      "any challenge (the grader checks it first)."))]
    lines += [wrap.fill(f"Next step in your code: {item.diagnosis.hint}")]
    return "\n".join(lines)


def ran(item: Explanation) -> str:
    run = explanations.run_example(item)
    shown = run.stdout.rstrip() + ("\n" + run.stderr.rstrip() if run.stderr.strip() else "")
    return f"\nRunning it now ({run.seconds:.1f} s):\n\n" + textwrap.indent(shown, "    ")


def _titles(app: Any) -> dict[int, str]:
    """Challenge number -> title, from the kit when the CLI found one (explain works without)."""
    return {c.number: c.title for c in getattr(app, "challenges", ())}


def _width() -> int:
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns - 1))
