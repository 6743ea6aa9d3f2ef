"""The witness process the grader starts for one run, outside the run's sandbox.

    python -I -m grader.witness.main -- PYTEST_ARGS...     (the results key on stdin)

It makes itself non-dumpable (a process of the same user can then neither ptrace it nor read its
memory), reads the key that signs the results file, and runs the challenge's pristine tests with
the kit's plugin. The tests' solution fixture and run_trial talk to the executor, which connects to
the listening socket the grader handed over (GRADER_WITNESS_FD).

Imports pytest, its default plugins and the kit's (settings.CHILD_PLUGINS, grader.pytest_plugin
among them), grader.sandbox.signing and grader.witness.session; no module of the grader imports it
(it is the top of the witness process; the warm server preloads it).
"""

from __future__ import annotations

import ctypes
import signal
import sys
from types import ModuleType
from typing import Any

PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "--":
        raise SystemExit("usage: python -I -m grader.witness.main -- PYTEST_ARGS...")
    _not_dumpable()
    key = sys.stdin.readline().strip()
    import pytest

    from grader.sandbox.signing import signer
    from grader.witness import session

    session.start_soon()  # the executor dials and idles while pytest starts
    args, plugins = _preloaded(argv[1:])
    return int(pytest.main(args, plugins=[*plugins, _Signing(signer(key))]))


def _preloaded(args: list[str]) -> tuple[list[str], list[ModuleType]]:
    """The arguments without each `-pNAME` whose module is already imported (the warm server
    preloads the kit's plugins), and those modules: registered as they are. Named with -p, pytest
    would mark them for assert rewriting and warn that it cannot (they need none); rewriting them in
    every cold witness cost a tenth of a second."""
    kept, plugins = [], []
    for arg in args:
        name = arg[2:] if arg.startswith("-p") and not arg.startswith("-pno:") else ""
        if name and name in sys.modules:
            plugins.append(sys.modules[name])
        else:
            kept.append(arg)
    return kept, plugins


def _not_dumpable() -> None:
    """Not dumpable (no same-user ptrace or /proc/<pid>/mem), and gone with the grader."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class _Signing:
    """Hands the signer to the kit's plugin once pytest has loaded it (importing the plugin earlier
    would keep pytest from rewriting its asserts), before its first write."""

    def __init__(self, sign: Any) -> None:
        self.sign = sign

    def pytest_configure(self, config: Any) -> None:
        from grader import pytest_plugin

        pytest_plugin.sign_results(self.sign)


def _preload() -> None:
    """Import what pytest.main imports in every witness: pytest's default plugins and the kit's
    (settings.CHILD_PLUGINS). The warm server imports this module, so each forked witness finds
    them loaded."""
    import importlib

    from _pytest.config import default_plugins

    from grader import settings

    for name in default_plugins:
        importlib.import_module(f"_pytest.{name}")
    for name in settings.CHILD_PLUGINS:
        importlib.import_module(name)


_preload()

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
