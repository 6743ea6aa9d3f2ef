"""The published kit: which of the kit's files may leave the instructor's machine.

A student template (grader/classroom/template.py) and a Gradescope autograder
(grader/gradescope/autograder_zip.py) carry the same selection: the grader package, the licence and
the challenge folders (README, challenge.toml, the original stub, pristine tests) with
challenges/stubs.toml, plus pyproject.toml with pytest pointed at challenges/. Never the reference
solutions, the kit's own tests or its CI, nor the kit owner's own edits to a stub.
Imports grader (for its own folder), grader.catalog, grader.stubs and grader.errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import grader
from grader import catalog, stubs
from grader.errors import GraderError

SKIP_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache"}


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
    """The kit's pyproject.toml, with pytest pointed at challenges/ (the copy has no tests/)."""
    try:
        text = (kit / "pyproject.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GraderError(f"{kit}: there is no pyproject.toml to publish.\n"
                          "Next step: run the command in the kit's top folder.") from None
    return re.sub(r"(?m)^testpaths\s*=.*$", 'testpaths = ["challenges"]', text)
