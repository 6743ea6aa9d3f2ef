"""Finding the kit (the folder whose challenges/ the grader serves) and the challenge folder the
learner is standing in.

Imports grader (its folder) and grader.errors.
"""

from __future__ import annotations

import os
from pathlib import Path

import grader
from grader.errors import GraderError

KIT_ENV = "GRADER_KIT"


def _is_kit(folder: Path) -> bool:
    return any((folder / "challenges").glob("[0-9][0-9]_*/challenge.toml"))


def installed_kit() -> Path | None:
    """The kit the grader is installed from (`pip install -e .` in a kit), if it has challenges."""
    folder = Path(grader.__file__).resolve().parent.parent
    return folder if _is_kit(folder) else None


def find_kit(start: Path | None = None) -> Path:
    """GRADER_KIT; else the nearest folder at or above the current one holding challenges/NN_*;
    else the kit the grader is installed from."""
    if os.environ.get(KIT_ENV):
        return Path(os.environ[KIT_ENV]).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_kit(folder):
            return folder
    installed = installed_kit()
    if installed is not None:
        return installed
    raise GraderError("No kit found here: no challenges/ folder in this folder or above it.\n"
                      f"Next step: cd into the kit (the folder with challenges/), or set {KIT_ENV}.")


def challenge_here(kit: Path, start: Path | None = None) -> str | None:
    """The folder name of the challenge the current folder is in (or below), if any."""
    here = (start or Path.cwd()).resolve()
    base = (kit / "challenges").resolve()
    if here == base or not here.is_relative_to(base):
        return None
    return here.relative_to(base).parts[0]
