"""The entry of the isolation probe (mode.py): a run that only proves a real run could start here.

    main([]) -> 0

Reaching main at all means the keeper built the sandbox (namespaces, the allow-list file system,
the fresh uid) and the run's process started in it, as a real run's does (forked from the warm
server, or a fresh interpreter without one); importing the executor's modules then proves the run
can load what a real run loads. It does nothing else, so the probe costs one start and no more.

Imports grader.witness.executor (to prove it imports), nothing else.
"""

from __future__ import annotations


def main(argv: list[str]) -> int:
    import grader.witness.executor  # noqa: F401  (the import is the check)

    return 0
