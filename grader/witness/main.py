"""The witness process the grader starts for one run, outside the run's sandbox.

    python -I -m grader.witness.main -- PYTEST_ARGS...     (the results key on stdin)

It makes itself non-dumpable (a process of the same user can then neither ptrace it nor read its
memory), reads the key that signs the results file, and runs the challenge's pristine tests with
the kit's plugin. The tests' solution fixture and run_trial talk to the executor, which connects to
the listening socket the grader handed over (GRADER_WITNESS_FD).

Imports grader.pytest_plugin and grader.sandbox.signing; no module of the grader imports it (it is the top
of the witness process).
"""

from __future__ import annotations

import ctypes
import signal
import sys
from typing import Any

PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "--":
        raise SystemExit("usage: python -I -m grader.witness.main -- PYTEST_ARGS...")
    _not_dumpable()
    key = sys.stdin.readline().strip()
    import pytest

    from grader.sandbox.signing import signer

    return int(pytest.main(argv[1:], plugins=[_Signing(signer(key))]))


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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
