"""The child runs and a learner's direct pytest run use the same pytest settings."""

from __future__ import annotations

import tomllib

from grader.settings import PYTEST_INI
from tests.kit_cases import KIT


def test_pyproject_matches_child_settings() -> None:
    ini = tomllib.loads((KIT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    for key, value in PYTEST_INI.items():
        assert str(ini[key]) == value, f"pyproject.toml [tool.pytest.ini_options] {key} differs"
