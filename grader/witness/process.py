"""The grader's side of the witness: start it for one run, outside the sandbox, and wait for it.

The witness runs the challenge's pristine tests from a private folder the run cannot see (0700,
hidden from the run's namespaces), holds the listening socket the run's executor dials, signs its
results with a key that only ever exists in the grader and the witness, and is stopped (with its
whole process group) if it outlives its budget.

Imports grader.forkserver, grader.settings, the testkit's clock and the witness's bridge and wire.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from grader import forkserver, settings
from grader.testkit import clock
from grader.witness.bridge import RELAY_ENV
from grader.witness.wire import LISTEN_ENV


@dataclass
class WitnessRun:
    process: forkserver.Child | subprocess.Popen[bytes]
    folder: Path
    output: Path
    started: float


def listen(path: Path) -> socket.socket:
    """The socket the executor dials, made before either side starts (so neither waits for it)."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    os.chmod(path, 0o777)  # the run's uid must be able to connect; only this run can reach the folder
    listener.listen(1)
    return listener


def start(folder: Path, pytest_args: list[str], listener: socket.socket, key: str,
          relay: str = "") -> WitnessRun:
    output = folder / "witness.out"
    env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ", clock.SCALE_VARIABLE)
           if k in os.environ}
    env.update({"HOME": str(folder), "TMPDIR": str(folder), "PYTHONDONTWRITEBYTECODE": "1",
                "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "NO_COLOR": "1",
                LISTEN_ENV: str(listener.fileno()), RELAY_ENV: relay})
    key_read, key_write = os.pipe()
    os.write(key_write, key.encode() + b"\n")  # a pipe holds far more than a key: no wait
    os.close(key_write)
    with output.open("wb") as sink:
        try:
            process = forkserver.spawn("grader.witness.main", ["--", *pytest_args], cwd=str(folder),
                                       env=env, stdin=key_read, stdout=sink.fileno(),
                                       stderr=sink.fileno(), pass_fds=(listener.fileno(),))
        finally:
            os.close(key_read)
    listener.close()  # the witness holds it now
    return WitnessRun(process, folder, output, clock.now())


AFTER_EXECUTOR = 5.0  # seconds the witness gets to finish once the executor has ended


def finish(run: WitnessRun, budget: float, cancelled: bool = False) -> tuple[int | None, bool, str]:
    """(exit code, timed out, what it printed, capped) once the witness has ended or been stopped.

    Called once the executor has ended: normally the witness is already done (it ends the executor
    when the tests are over); if the executor died first, the witness's trials fail at once and it
    needs only moments; if the run was cancelled (Ctrl-C), it is stopped now."""
    timed_out = False
    left = max(1.0, budget - (clock.now() - run.started))
    try:
        run.process.wait(timeout=0.0 if cancelled else min(left, AFTER_EXECUTOR))
    except subprocess.TimeoutExpired:
        timed_out = not cancelled and clock.now() - run.started >= budget - 0.5
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(run.process.pid, signal.SIGKILL)
        run.process.wait()
    with run.output.open("rb") as printed:
        text = printed.read(settings.OUTPUT_CAP).decode("utf-8", "replace")
    return run.process.returncode, timed_out, text
