"""`grader template OUT`: the student repository an instructor publishes as a Classroom template.

It holds what a learner needs and nothing they must not see: every challenge folder (README, stub,
tests, challenge.toml), the grader package and pyproject.toml (so `pip install -e .` gives them
`grader check`), a student README, a .gitignore, the Classroom workflow and the pristine manifest.
Never the reference solutions, the kit's own tests (known mistakes, alternatives) or its CI.
The same file selection is the kit source inside a Gradescope autograder (gradescope_zip.py).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from string import Template

import grader
from grader import catalog, classroom_workflow, pristine, stubs
from grader.classroom_workflow import Pin
from grader.errors import GraderError

SKIP_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache"}
WORKFLOW = PurePosixPath(".github/workflows/classroom.yml")


@dataclass(frozen=True)
class Written:
    out: Path
    files: int
    challenges: tuple[str, ...]
    pin: Pin | None


def kit_files(kit: Path, challenges: list[catalog.Challenge]) -> Iterator[tuple[Path, PurePosixPath]]:
    """(source, destination) of the shareable kit files: grader package, LICENSE, challenge folders.
    pyproject.toml is not among them: `pyproject_text` gives its adjusted text."""
    package = kit / "grader" if (kit / "grader" / "__init__.py").is_file() else Path(grader.__file__).parent
    yield from _tree(package, PurePosixPath("grader"))
    for licence in sorted(kit.glob("LICENSE*")):
        yield licence, PurePosixPath(licence.name)
    if (kit / "challenges" / stubs.MANIFEST_NAME).is_file():
        yield kit / "challenges" / stubs.MANIFEST_NAME, PurePosixPath("challenges", stubs.MANIFEST_NAME)
    for challenge in challenges:
        dest = PurePosixPath("challenges", challenge.id)
        yield from ((src, to) for src, to in _tree(challenge.path, dest) if src != challenge.stub)
        yield _published_stub(challenge), dest / catalog.STUB_NAME  # never the kit owner's own work


def _published_stub(challenge: catalog.Challenge) -> Path:
    """The original stub (the kit's own solution.py may hold its owner's work); a kit without
    fingerprints for it has only its solution.py to give."""
    if challenge.id not in stubs.manifest(stubs.kit_of(challenge)):
        return challenge.stub
    return stubs.original(challenge)


def _tree(folder: Path, dest: PurePosixPath) -> Iterator[tuple[Path, PurePosixPath]]:
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not SKIP_PARTS.intersection(rel.parts) and path.suffix != ".pyc":
            yield path, dest.joinpath(*rel.parts)


def pyproject_text(kit: Path) -> str:
    """The kit's pyproject.toml, with pytest pointed at challenges/ (the template has no tests/)."""
    try:
        text = (kit / "pyproject.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GraderError(f"{kit}: there is no pyproject.toml to put in the template.\n"
                          "Next step: run the command in the kit's top folder.") from None
    return re.sub(r"(?m)^testpaths\s*=.*$", 'testpaths = ["challenges"]', text)


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
        PurePosixPath(".gitignore"): _packaged("student/gitignore"),
        WORKFLOW: classroom_workflow.render([c.id for c in challenges], pin),
    }
    for dest, text in texts.items():
        (out / dest).parent.mkdir(parents=True, exist_ok=True)
        (out / dest).write_text(text, encoding="utf-8")
    manifest = pristine.build(out, [(c.id, c.title, c.points) for c in challenges])
    (out / pristine.MANIFEST).parent.mkdir(exist_ok=True)
    (out / pristine.MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return Written(out, count + len(texts) + 1, tuple(c.id for c in challenges), pin)


def _check_target(kit: Path, out: Path, force: bool) -> None:
    kit, target = kit.resolve(), out.resolve()
    if target == kit or kit.is_relative_to(target) or any(
            target.is_relative_to(kit / part) for part in ("challenges", "grader", "solutions")):
        raise GraderError(f"{out}: the template cannot be written over or inside the kit's own "
                          "folders.\nNext step: name a new folder, for example ../asyncio-template.")
    if target.exists() and any(target.iterdir()) and not force:
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
    return Template(_packaged("student/README.md")).substitute(table=table, source=source, edits=edits)


def _packaged(name: str) -> str:
    return resources.files("grader").joinpath("templates", name).read_text(encoding="utf-8")
