"""Finding the kit: the folder whose challenges/ the grader serves."""

from __future__ import annotations

import os
from pathlib import Path

from grader.errors import GraderError

KIT_ENV = "GRADER_KIT"


def find_kit(start: Path | None = None) -> Path:
    """GRADER_KIT, else the nearest folder at or above the current one holding challenges/NN_*."""
    if os.environ.get(KIT_ENV):
        return Path(os.environ[KIT_ENV]).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / "challenges").glob("[0-9][0-9]_*/challenge.toml")):
            return folder
    raise GraderError("No kit found here: no challenges/ folder in this folder or above it.\n"
                      f"Next step: cd into the kit (the folder with challenges/), or set {KIT_ENV}.")
