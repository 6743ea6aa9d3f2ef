"""`grader template OUT`: the student repository an instructor publishes as a Classroom template.

It holds what a learner needs and nothing they must not see: every challenge folder (README, stub,
tests, challenge.toml), the grader package and pyproject.toml (so `pip install -e .` gives them
`grader check`), a student README, a .gitignore, the Classroom workflow and the pristine manifest.
Never the reference solutions, the kit's own tests (known mistakes, alternatives) or its CI.
The file selection is grader/published.py's, shared with the Gradescope autograder.
Imports grader.catalog, grader.published, grader.errors and the classroom package's manifest, pin
and workflow.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from string import Template

from grader import catalog
from grader.classroom import manifest, workflow
from grader.classroom.pin import Pin
from grader.errors import GraderError
from grader.published import kit_files, pyproject_text

WORKFLOW = PurePosixPath(".github/workflows/classroom.yml")


@dataclass(frozen=True)
class Written:
    out: Path
    files: int
    challenges: tuple[str, ...]
    pin: Pin | None


def write(kit: Path, challenges: list[catalog.Challenge], out: Path, pin: Pin | None = None,
          force: bool = False) -> Written:
    """Write the student template for these challenges into out."""
    _check_target(kit, out, force)
    count = 0
    for source, dest in kit_files(kit, challenges):
        target = out / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        count += 1
    texts = {
        PurePosixPath("pyproject.toml"): pyproject_text(kit),
        PurePosixPath("README.md"): student_readme(challenges, pin),
        PurePosixPath(".gitignore"): _packaged("gitignore"),
        WORKFLOW: workflow.render([c.id for c in challenges], pin),
    }
    for dest, text in texts.items():
        (out / dest).parent.mkdir(parents=True, exist_ok=True)
        (out / dest).write_text(text, encoding="utf-8")
    fingerprints = manifest.build(out, [(c.id, c.title, c.points) for c in challenges])
    (out / manifest.MANIFEST).parent.mkdir(exist_ok=True)
    (out / manifest.MANIFEST).write_text(json.dumps(fingerprints, indent=1) + "\n", encoding="utf-8")
    return Written(out, count + len(texts) + 1, tuple(c.id for c in challenges), pin)


def _check_target(kit: Path, out: Path, force: bool) -> None:
    kit, target = kit.resolve(), out.resolve()
    if target == kit or kit.is_relative_to(target) or any(
            target.is_relative_to(kit / part) for part in ("challenges", "grader", "solutions")):
        raise GraderError(f"{out}: the template cannot be written over or inside the kit's own "
                          "folders.\nNext step: name a new folder, for example ../asyncio-template.")
    if target.exists() and any(p.name != ".git" for p in target.iterdir()) and not force:
        raise GraderError(f"{out} is not empty.\nNext step: name a new folder, or add --force to "
                          "write over the files in it.")


def student_readme(challenges: list[catalog.Challenge], pin: Pin | None) -> str:
    table = "\n".join(f"| {c.number:02d} | {c.title} | {c.level} | {c.points} |" for c in challenges)
    if pin:
        source = (f"the tests your instructor published (a fixed copy from {pin.repo} at {pin.ref}; "
                  "the copies in this repository are for you to read and run)")
        edits = "Editing a test changes nothing: grading never uses your copy."
    else:
        source = "the tests in this repository, checked against the published ones first"
        edits = ("A challenge whose tests or challenge.toml differ from the published ones "
                 "(fingerprints in `.grader/pristine.json`) scores zero until they are restored.")
    return Template(_packaged("README.md")).substitute(table=table, source=source, edits=edits)


def _packaged(name: str) -> str:
    return resources.files("grader.classroom").joinpath("files", name).read_text(encoding="utf-8")
