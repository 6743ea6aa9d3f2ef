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

    if not words & KEEPS_WARM:
        cli()
        return
    try:
        cli()
    except SystemExit as exit_:
        _end_now(exit_.code)
    _end_now(0)


def _end_now(code: object) -> None:
    """End a check at once, doing what an interpreter's exit must (join the threads still running,
    run the atexit hooks, flush the output) but not tearing down every module one by one: that
    took the last 25-30 ms of each check in the learner's loop."""
    import atexit
    import contextlib
    import os
    import threading

    if isinstance(code, str):
        sys.stderr.write(code + "\n")
    threading._shutdown()  # type: ignore[attr-defined]  # as the interpreter's exit: joins, pool exits
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


if __name__ == "__main__":
    main()
