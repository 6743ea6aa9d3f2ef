"""The `grader` command's entry point: starts the warm fork server first, then the CLI.

The server imports pytest, the testkit, the witness and the sandbox (about half a second of CPU);
started before the CLI itself is imported, that happens on another core while the grader reads its
own code, the catalog and the solution, instead of in front of the first run. The isolation probe
(one run through the sandbox, forked once the server is ready) is asked for at once too, on a
thread. Only commands that run challenges start either; `grader check`, run again and again in the
learner's loop, uses a server kept between commands (grader/kept_server.py), warm from the start.

Imports grader.forkserver and grader.sandbox.mode, then grader.cli.
"""

from __future__ import annotations

import sys

from grader import forkserver

RUNS_CHALLENGES = {"check", "grade", "batch", "watch"}
KEEPS_WARM = {"check"}  # the learner's loop: run again and again, each time a fresh process
ONLY_HELP = {"--help", "-h"}


def main() -> None:
    words = set(sys.argv[1:])
    if words & RUNS_CHALLENGES and not words & ONLY_HELP:
        forkserver.start_soon(keep=bool(words & KEEPS_WARM))
        from grader.sandbox import mode

        mode.probe_soon()
    from grader.cli import main as cli

    cli()


if __name__ == "__main__":
    main()
