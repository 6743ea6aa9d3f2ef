"""The kit's code is ruff-clean (ruff comes with the test extra)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed: install the test extra, pip install -e '.[test]'")
    done = subprocess.run([ruff, "check", "grader", "tests", "challenges", "solutions"], cwd=KIT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
