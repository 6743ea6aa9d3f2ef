"""The challenge catalog: discovers `challenges/NN_slug/` folders and validates their challenge.toml.

A challenge.toml looks like this (every key is checked; unknown keys are errors):

    format_version = 1
    title = "Three fetches"
    level = "beginner"                    # beginner | intermediate | advanced
    points = 10                           # equals the sum of the suite's @pytest.mark.points
    summary = "Make three fetches finish in about one second."
    concepts = ["asyncio.gather", "concurrency"]
    hints = ["first hint", "second hint"]  # revealed one at a time, in order

    [timing]                              # seconds at GRADER_TIME_SCALE = 1
    min_wait = 1.0                        # simulated waiting a full passing run needs at the least
    timeout = 60                          # wall-clock budget for the whole suite

    [stub]
    diagnosis = "sequential"              # what the untouched stub must be told

Imports grader.errors only.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import ChallengeNotFound, MetadataError

FORMAT_VERSION = 1
LEVELS = ("beginner", "intermediate", "advanced")
FOLDER = re.compile(r"^(?P<number>\d{2})_(?P<slug>[a-z0-9_]+)$")
STUB_NAME = "solution.py"
TOP_KEYS = {"format_version", "title", "level", "points", "summary", "concepts", "hints", "timing",
            "stub"}
TIMING_KEYS = {"min_wait", "timeout"}
STUB_KEYS = {"diagnosis"}


@dataclass(frozen=True)
class Timing:
    min_wait: float
    timeout: float


@dataclass(frozen=True)
class Challenge:
    id: str
    number: int
    slug: str
    path: Path
    title: str
    level: str
    points: int
    summary: str
    concepts: tuple[str, ...]
    hints: tuple[str, ...]
    timing: Timing
    stub_diagnosis: str

    @property
    def stub(self) -> Path:
        return self.path / STUB_NAME

    @property
    def test_file(self) -> Path:
        return self.path / f"test_{self.slug}.py"

    @property
    def readme(self) -> Path:
        return self.path / "README.md"


def challenges_dir(root: Path) -> Path:
    return root / "challenges"


def discover(root: Path) -> list[Challenge]:
    """Every challenge under root/challenges, in order. Raises MetadataError on the first bad one."""
    base = challenges_dir(root)
    if not base.is_dir():
        raise MetadataError(str(base), "there is no challenges folder here",
                            "run the command from the kit's top folder, or pass --kit PATH.")
    found = [load(p) for p in sorted(base.iterdir()) if p.is_dir() and FOLDER.match(p.name)]
    numbers = [c.number for c in found]
    for n in set(numbers):
        if numbers.count(n) > 1:
            raise MetadataError(str(base), f"two challenges share the number {n:02d}",
                                "renumber one of the folders.")
    return found


def load(folder: Path) -> Challenge:
    match = FOLDER.match(folder.name)
    if not match:
        raise MetadataError(str(folder), "the folder name is not of the form NN_slug",
                            "rename it, for example to 02_three_fetches.")
    meta_path = folder / "challenge.toml"
    try:
        data = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MetadataError(str(meta_path), "the file is missing",
                            "add a challenge.toml (see grader/catalog.py for its keys).") from None
    except tomllib.TOMLDecodeError as exc:
        raise MetadataError(str(meta_path), f"it is not valid TOML ({exc})",
                            "fix the syntax on the line named.") from None
    return _build(folder, match, data, str(meta_path))


def _build(folder: Path, match: re.Match[str], data: dict[str, Any], where: str) -> Challenge:
    _check_keys(data, TOP_KEYS, where, "")
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise MetadataError(where, f"format_version is {version!r}; this grader reads {FORMAT_VERSION}",
                            "upgrade the grader (pip install -U asyncio-kit) or fix format_version.")
    timing = data.get("timing", {})
    stub = data.get("stub", {})
    _check_keys(timing, TIMING_KEYS, where, "timing.")
    _check_keys(stub, STUB_KEYS, where, "stub.")
    challenge = Challenge(
        id=folder.name,
        number=int(match["number"]),
        slug=match["slug"],
        path=folder,
        title=_text(data, "title", where),
        level=_choice(data, "level", LEVELS, where),
        points=_positive_int(data, "points", where),
        summary=_text(data, "summary", where),
        concepts=tuple(_text_list(data, "concepts", where)),
        hints=tuple(_text_list(data, "hints", where)),
        timing=Timing(min_wait=_number(timing, "min_wait", where, "timing."),
                      timeout=_number(timing, "timeout", where, "timing.")),
        stub_diagnosis=_text(stub, "diagnosis", where, "stub."),
    )
    # The stub is the learner's to edit (or delete: `grader reset` restores it); the rest is the kit's.
    for required in (challenge.test_file, challenge.readme):
        if not required.is_file():
            raise MetadataError(str(folder), f"{required.name} is missing",
                                f"add {required.name}: every challenge is complete or absent.")
    return challenge


def _check_keys(table: Any, allowed: set[str], where: str, prefix: str) -> None:
    if not isinstance(table, dict):
        raise MetadataError(where, f"[{prefix.rstrip('.')}] must be a table", "see grader/catalog.py.")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise MetadataError(where, f"unknown key {prefix}{unknown[0]}",
                            f"remove it or use one of: {', '.join(sorted(allowed))}.")


def _text(table: dict[str, Any], key: str, where: str, prefix: str = "") -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise MetadataError(where, f"{prefix}{key} must be a non-empty string", f"set {prefix}{key}.")
    return value.strip()


def _text_list(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key)
    if not isinstance(value, list) or not value:
        raise MetadataError(where, f"{key} must be a non-empty list of strings", f"add {key}.")
    for i, item in enumerate(value, 1):
        if not isinstance(item, str) or not item.strip():
            raise MetadataError(where, f"{key} entry {i} is empty", f"write {key} entry {i} or drop it.")
    return [item.strip() for item in value]


def _choice(table: dict[str, Any], key: str, choices: tuple[str, ...], where: str) -> str:
    value = table.get(key)
    if value not in choices:
        raise MetadataError(where, f"{key} is {value!r}", f"use one of: {', '.join(choices)}.")
    return str(value)


def _positive_int(table: dict[str, Any], key: str, where: str) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise MetadataError(where, f"{key} must be a positive whole number", f"set {key} = 10, say.")
    return value


def _number(table: dict[str, Any], key: str, where: str, prefix: str) -> float:
    value = table.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise MetadataError(where, f"{prefix}{key} must be a number of seconds (>= 0)",
                            f"set {prefix}{key}.")
    return float(value)


def resolve(challenges: list[Challenge], wanted: list[str]) -> list[Challenge]:
    """Challenges named by folder name, number (2 or 02) or slug, in the order asked."""
    chosen = []
    for name in wanted:
        key = name.strip().rstrip("/").split("/")[-1]
        match = next((c for c in challenges if key in (c.id, c.slug)
                      or (key.isdigit() and int(key) == c.number)), None)
        if match is None:
            raise ChallengeNotFound(name, [c.id for c in challenges])
        chosen.append(match)
    return chosen
