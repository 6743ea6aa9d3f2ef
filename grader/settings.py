"""Settings the grader passes to every child pytest run, in one place.

Imports nothing from the kit.
"""

from __future__ import annotations

# The same values stand in pyproject.toml's [tool.pytest.ini_options] for learners running pytest
# directly; tests/test_settings.py keeps the two in step.
PYTEST_INI: dict[str, str] = {
    "asyncio_mode": "strict",
    "asyncio_default_fixture_loop_scope": "function",
    "asyncio_default_test_loop_scope": "function",
    "timeout": "60",
    "timeout_method": "signal",
}

# Plugins the child loads explicitly; autoloading is off, so nothing else installed can interfere.
CHILD_PLUGINS = ("grader.pytest_plugin", "pytest_asyncio.plugin", "pytest_timeout")

OUTPUT_CAP = 64 * 1024          # bytes of child output kept; the rest is cut with a visible note
STARTUP_ALLOWANCE = 20.0        # seconds for interpreter and pytest start-up on a loaded machine
MEMORY_LIMIT = 2 * 1024**3      # bytes of address space for a child (RLIMIT_AS)
FILE_SIZE_LIMIT = 32 * 1024**2  # bytes any one file the child writes may reach (RLIMIT_FSIZE)
OPEN_FILES_LIMIT = 1024          # a web server with a hundred clients holds ~450 sockets (18)
