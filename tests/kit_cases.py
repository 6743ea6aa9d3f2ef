"""The cases the kit proves itself on: challenges, their references, and the known mistakes."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from grader import catalog, stubs

KIT = Path(__file__).resolve().parent.parent
CHALLENGES = catalog.discover(KIT)
EXPECT = re.compile(r"^expect:\s*(?P<code>[a-z-]+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class KnownMistake:
    challenge: catalog.Challenge
    path: Path
    diagnosis: str

    @property
    def id(self) -> str:
        return f"{self.challenge.id}/{self.path.stem}"


def reference(challenge: catalog.Challenge) -> Path:
    return KIT / "solutions" / f"{challenge.id}.py"


def stub(challenge: catalog.Challenge) -> Path:
    """The published stub, whatever the learner did to their solution.py (grader/stubs.py)."""
    return stubs.original(challenge)


def stub_of(challenge_id: str) -> Path:
    return stub(next(c for c in CHALLENGES if c.id == challenge_id))


def pristine_copy(target: Path) -> None:
    """A copy of the kit's challenges and solutions in target, with the published stubs."""
    for folder in ("challenges", "solutions"):
        shutil.copytree(KIT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for challenge in CHALLENGES:
        shutil.copyfile(stub(challenge), target / "challenges" / challenge.id / catalog.STUB_NAME)


def known_mistakes() -> list[KnownMistake]:
    """tests/mistakes/<id>/<name>.py, each with an `expect: <diagnosis>` line in its docstring."""
    found = []
    for challenge in CHALLENGES:
        for path in sorted((KIT / "tests" / "mistakes" / challenge.id).glob("*.py")):
            match = EXPECT.search(path.read_text(encoding="utf-8"))
            if match is None:
                raise ValueError(f"{path} has no `expect: <diagnosis>` line in its docstring")
            found.append(KnownMistake(challenge, path, match["code"]))
    return found
