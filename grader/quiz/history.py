"""A learner's quiz record: how often each question was answered right or wrong, and each round's
score. Kept in .grader/quiz.json (git-ignored), apart from progress.json, so the quiz can never
damage the record of checks; losing it loses nothing that matters. Written atomically; a file that
cannot be read is named and started afresh, never a crash. Standard library only.

Imports nothing from the kit.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FOLDER = ".grader"
NAME = "quiz.json"
VERSION = 1
KEEP_ROUNDS = 200  # older rounds are dropped: the file stays small


@dataclass
class History:
    path: Path
    answers: dict[str, dict[str, int]] = field(default_factory=dict)  # key -> {"right": n, "wrong": n}
    rounds: list[dict[str, Any]] = field(default_factory=list)
    problem: str = ""  # why the saved file could not be used, if it could not

    @classmethod
    def load(cls, kit: Path) -> History:
        path = kit / FOLDER / NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            return cls(path, problem=f"{path} could not be read ({exc}); starting a new quiz record")
        if not _valid(data):
            return cls(path, problem=f"{path} is not a quiz record this grader knows; starting a new one")
        return cls(path, data["answers"], data["rounds"])

    def right_before(self, key: str) -> bool:
        return self.answers.get(key, {}).get("right", 0) > 0

    def record(self, key: str, right: bool) -> None:
        tally = self.answers.setdefault(key, {"right": 0, "wrong": 0})
        tally["right" if right else "wrong"] += 1

    def add_round(self, asked: int, right: int) -> None:
        self.rounds.append({"at": time.strftime("%Y-%m-%dT%H:%M:%S"), "asked": asked, "right": right})
        del self.rounds[:-KEEP_ROUNDS]

    def save(self) -> None:
        data = {"version": VERSION, "answers": self.answers, "rounds": self.rounds}
        try:
            self.path.parent.mkdir(exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(temporary, self.path)  # atomic: a crash leaves the old file or the new one
        except OSError:
            pass  # a read-only checkout still quizzes; it just forgets


def _valid(data: Any) -> bool:
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return False
    answers, rounds = data.get("answers"), data.get("rounds")
    return (isinstance(answers, dict) and isinstance(rounds, list)
            and all(isinstance(t, dict) and all(isinstance(n, int) for n in t.values())
                    for t in answers.values()))
