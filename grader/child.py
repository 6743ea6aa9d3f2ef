"""Entry point of a child grading run: limit this process, then run pytest in it.

    python -I -m grader.child CPU_SECONDS -- PYTEST_ARGS...

The limits apply to the process and everything it starts; the parent adds a wall-clock watchdog.
"""

from __future__ import annotations

import resource
import sys

import pytest

from grader import settings


def limit(cpu_seconds: int) -> None:
    for kind, value in (
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_AS, settings.MEMORY_LIMIT),
        (resource.RLIMIT_FSIZE, settings.FILE_SIZE_LIMIT),
        (resource.RLIMIT_NOFILE, settings.OPEN_FILES_LIMIT),
        (resource.RLIMIT_CORE, 0),
    ):
        _soft, hard = resource.getrlimit(kind)
        wanted = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (wanted, wanted))


def main(argv: list[str]) -> int:
    cpu_seconds, separator, *pytest_args = argv
    if separator != "--":
        raise SystemExit("usage: python -m grader.child CPU_SECONDS -- PYTEST_ARGS...")
    limit(int(cpu_seconds))
    return int(pytest.main(pytest_args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
