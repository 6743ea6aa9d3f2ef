"""A learner's local progress: last check result per challenge and hints revealed.

Kept in .grader/progress.json at the kit's top folder (git-ignored); losing it loses nothing important.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FOLDER = ".grader"


@dataclass
class Progress:
    path: Path
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    hints: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, kit: Path) -> Progress:
        path = kit / FOLDER / "progress.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, dict(data.get("checks", {})), dict(data.get("hints", {})))
        except (OSError, ValueError, AttributeError):
            return cls(path)

    def save(self) -> None:
        try:
            self.path.parent.mkdir(exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"checks": self.checks, "hints": self.hints}, indent=1))
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout still works; it just forgets

    def record_check(self, challenge_id: str, status: str, score: float, max_score: float) -> None:
        self.checks[challenge_id] = {"status": status, "score": score, "max_score": max_score}

    def next_hint(self, challenge_id: str, available: int) -> int:
        """Reveal one more hint; returns how many are now revealed (at most `available`)."""
        shown = min(self.hints.get(challenge_id, 0) + 1, available)
        self.hints[challenge_id] = shown
        return shown

    def passed(self, challenge_id: str) -> bool:
        return self.checks.get(challenge_id, {}).get("status") == "passed"
