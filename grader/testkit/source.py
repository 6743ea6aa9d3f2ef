"""What the learner's file itself says, read by the witness from the submitted source.

The file is the submission: nothing the learner's code does at run time changes it, so a rule the
README states about how code is written (not only what it does) is checked here.

Imports nothing from the kit.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

_CANCEL_CATCHERS = {"BaseException", "CancelledError"}


@dataclass(frozen=True)
class Handler:
    line: int
    code: str
    caught: str


def swallowed_cancellation(path: Path) -> list[Handler]:
    """`except` clauses that catch a cancellation (bare, BaseException, CancelledError) and do not
    raise again: the function they are in can no longer be cancelled."""
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return []
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ExceptHandler):
            continue
        caught = _caught(node.type)
        if caught and not any(isinstance(n, ast.Raise) for n in ast.walk(node)):
            code = lines[node.lineno - 1].strip() if node.lineno <= len(lines) else ""
            found.append(Handler(node.lineno, code, caught))
    return found


def _caught(kind: ast.expr | None) -> str:
    if kind is None:
        return "everything (a bare except)"
    names = [kind] if not isinstance(kind, ast.Tuple) else list(kind.elts)
    for name in names:
        text = name.attr if isinstance(name, ast.Attribute) else getattr(name, "id", "")
        if text in _CANCEL_CATCHERS:
            return text
    return ""
