"""grader watch notices a saved solution file."""

from __future__ import annotations

import os
from pathlib import Path

from grader import watcher


def test_a_save_is_noticed_and_nothing_else(tmp_path: Path) -> None:
    edited, untouched = tmp_path / "a.py", tmp_path / "b.py"
    edited.write_text("x = 1\n")
    untouched.write_text("y = 1\n")
    changes = watcher.changes([edited, untouched], interval=0.01)
    stat = edited.stat()
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert next(changes) == edited


def test_a_deleted_file_counts_as_a_change(tmp_path: Path) -> None:
    gone = tmp_path / "a.py"
    gone.write_text("x = 1\n")
    changes = watcher.changes([gone], interval=0.01)
    gone.unlink()
    assert next(changes) == gone
