"""`grader gradescope OUT.zip`: a Gradescope autograder built from the kit.

The zip's root holds setup.sh and run_autograder (Gradescope's contract: reference section 2) next
to the kit source, the same file selection as the student template: the grader package,
pyproject.toml and the challenge folders with their pristine tests; never the reference solutions
or the kit's own tests (grader/published.py). Gradescope unpacks it in /autograder/source.
Imports grader.catalog and grader.published.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from grader import catalog
from grader.published import kit_files, pyproject_text

SCRIPTS = ("setup.sh", "run_autograder")
FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # the same kit always gives the same zip, byte for byte


@dataclass(frozen=True)
class Built:
    path: Path
    names: tuple[str, ...]


def build(kit: Path, challenges: list[catalog.Challenge], out: Path) -> Built:
    entries: dict[str, tuple[bytes, int]] = {}
    for script in SCRIPTS:
        entries[script] = (_packaged(script), 0o755)
    entries["README.md"] = (_packaged("README.md"), 0o644)
    entries["pyproject.toml"] = (pyproject_text(kit).encode("utf-8"), 0o644)
    for source, dest in kit_files(kit, challenges):
        entries[dest.as_posix()] = (source.read_bytes(), 0o644)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, (data, mode) in entries.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return Built(out, tuple(entries))


def _packaged(name: str) -> bytes:
    return resources.files("grader.gradescope").joinpath("files", name).read_bytes()
