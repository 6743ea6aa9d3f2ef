"""Shared fixtures for the kit's own tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The kit's CI runs every latency and budget at half scale: still real wall-clock timing, but
# twice as fast. Set GRADER_TIME_SCALE=1 to run the self-tests at the learners' own scale.
os.environ.setdefault("GRADER_TIME_SCALE", "0.5")
# `grader check` keeps a warm server between commands; the self-tests start theirs and end it with
# them (tests/test_kept_server.py keeps one on purpose, in a folder of its own).
os.environ["GRADER_KEEP_WARM"] = "0"

KIT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def kit() -> Path:
    return KIT
