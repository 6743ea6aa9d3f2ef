"""A learner's local progress: the last check of each challenge and the hints revealed.

Kept in .grader/progress.json at the kit's top folder (git-ignored), a small versioned JSON file
written atomically (a temporary file, then a rename), so a crash or Ctrl-C never leaves half a file.
A file that cannot be read (hand-edited, truncated, from a newer grader) is never a crash: it is
kept beside under a dated name, the learner is told so in `notice`, and a fresh one is started.
Losing it loses nothing important: checking again records the passes again.

Imports nothing from the grader: `passed(kit)` is used by other commands (the quiz) too.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FOLDER = ".grader"
NAME = "progress.json"
VERSION = 1  # files written before versioning have no "version" and the same shape: read as is


@dataclass
class Progress:
    path: Path
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    hints: dict[str, int] = field(default_factory=dict)
    notice: str = ""  # what happened to an unreadable file, to tell the learner once

    @classmethod
    def load(cls, kit: Path) -> Progress:
        path = kit / FOLDER / NAME
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as exc:
            return cls(path, notice=_set_aside(path, f"it could not be read: {exc}"))
        try:
            checks, hints = _parse(json.loads(text))
        except ValueError as exc:
            return cls(path, notice=_set_aside(path, str(exc)))
        return cls(path, checks, hints)

    def save(self) -> None:
        data = {"version": VERSION, "checks": self.checks, "hints": self.hints}
        try:
            self.path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".progress-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout still works; it only forgets

    def record_check(self, challenge_id: str, status: str, score: float, max_score: float) -> None:
        self.checks[challenge_id] = {"status": status, "score": score, "max_score": max_score,
                                     "at": time.strftime("%Y-%m-%dT%H:%M:%S")}

    def next_hint(self, challenge_id: str, available: int) -> int:
        """Reveal one more hint; returns how many are now revealed (at most `available`)."""
        shown = min(self.hints.get(challenge_id, 0) + 1, available)
        self.hints[challenge_id] = shown
        return shown

    def passed(self, challenge_id: str) -> bool:
        return self.checks.get(challenge_id, {}).get("status") == "passed"

    @property
    def passed_ids(self) -> set[str]:
        return {cid for cid in self.checks if self.passed(cid)}


def passed(kit: Path) -> set[str]:
    """The ids of the challenges whose last check passed."""
    return Progress.load(kit).passed_ids


def _parse(data: Any) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """The checks and hints of a progress file; ValueError saying what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("it is not a JSON object")
    version = data.get("version", VERSION)
    if version != VERSION:
        raise ValueError(f"it has version {version!r}, and this grader reads version {VERSION}")
    checks, hints = data.get("checks", {}), data.get("hints", {})
    if not isinstance(checks, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("status"), str)
            and isinstance(v.get("score"), int | float) for v in checks.values()):
        raise ValueError("its 'checks' are not what the grader writes")
    if not isinstance(hints, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in hints.values()):
        raise ValueError("its 'hints' are not what the grader writes")
    return checks, hints


def _set_aside(path: Path, why: str) -> str:
    """Move an unreadable progress file out of the way; the sentence that tells the learner."""
    backup = path.with_name(f"progress.unreadable-{time.strftime('%Y%m%d-%H%M%S')}.json")
    try:
        os.replace(path, backup)
        kept = f"it was kept as {backup}"
    except OSError:
        kept = "it could not be moved, so it will be written over"
    return (f"Note: your progress file {path} was unreadable ({why}); {kept}, and a fresh one was "
            f"started. Your solutions are untouched; `grader check` records your passes again.")
