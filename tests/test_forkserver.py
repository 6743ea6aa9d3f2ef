"""The warm start (grader/forkserver.py, grader/warm_server.py): a run forked from the warm server
and one started as a fresh interpreter (GRADER_WARM=0) give the same verdicts; the server leaves no
child behind a run and ends when told; a process forked from the grader does not reuse the
grader's server; a request is forked before the server's imports are done only if it can be."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grader import catalog, forkserver, warm_server
from grader.model import Status
from grader.run import run_challenge
from grader.sandbox import linux

KIT = Path(__file__).resolve().parent.parent
THREE = catalog.load(KIT / "challenges" / "02_three_fetches")


@pytest.mark.parametrize("warm", ["1", "0"])
def test_warm_and_cold_runs_agree(warm: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(forkserver.WARM_VARIABLE, warm)
    reference = run_challenge(THREE, KIT / "solutions" / "02_three_fetches.py")
    stub = run_challenge(THREE, KIT / "tests" / "mistakes" / "02_three_fetches" / "await_in_loop.py")
    assert reference.status is Status.PASSED and reference.score == reference.max_score, reference
    assert stub.status is Status.FAILED and "sequential" in stub.diagnoses, stub
    # The kit's plugins, preloaded, are registered as they are: pytest has nothing to warn about.
    assert "Warning" not in reference.output, reference.output
    server = forkserver.server_pid()
    if warm == "1":
        assert server is not None
        idle = [p for p in linux.processes() if p.ppid == server and not p.zombie]
        assert idle == [], "the server keeps no child once the runs are over"


def test_the_server_ends_when_told_and_a_fork_of_the_grader_starts_its_own() -> None:
    forkserver.start_soon()
    server = forkserver.server_pid()
    assert server is not None
    pid = os.fork()
    if pid == 0:
        os._exit(0 if forkserver.server_pid() is None else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    forkserver.stop()
    assert forkserver.server_pid() is None and not Path(f"/proc/{server}").exists()


class _SlowModule:
    """A finder for `slow_for_test`: its import takes half a second; its main(argv) returns 7."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> object:
        import importlib.machinery

        return importlib.machinery.ModuleSpec(name, self) if name == "slow_for_test" else None

    def create_module(self, spec: object) -> None:
        return None

    def exec_module(self, module: object) -> None:
        import time

        time.sleep(0.5)
        module.main = lambda argv: 7  # type: ignore[attr-defined]


@contextlib.contextmanager
def _served(preload: list[str]) -> Iterator[Callable[[str], tuple[float, int]]]:
    """A warm server forked from this process (slow_for_test importable), and a function asking it
    for a child of a module: when the pid came back, and the child's exit code."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    server = os.fork()
    if server == 0:
        ours.close()
        sys.meta_path.insert(0, _SlowModule())
        warm_server.serve(preload, channel=theirs)
        os._exit(0)
    theirs.close()
    lines = ours.makefile("rb")

    def ask(module: str) -> tuple[float, int]:
        null = os.open(os.devnull, os.O_RDWR)
        request = {"module": module, "argv": [], "cwd": "/", "env": {}, "targets": [0, 1, 2]}
        socket.send_fds(ours, [json.dumps(request).encode()], [null, null, null])
        os.close(null)
        pid = json.loads(lines.readline())["pid"]
        answered = time.monotonic()
        while "ended" not in (message := json.loads(lines.readline())):
            pass
        assert message["ended"] == pid
        return answered, message["code"]

    try:
        yield ask
    finally:
        lines.close()
        ours.close()  # the server sees the end and stops
        os.waitpid(server, 0)


def test_a_request_is_forked_between_imports_only_once_its_module_is_imported() -> None:
    """The isolation probe's keeper is forked while the server still imports the rest; a witness
    asked for meanwhile waits for the imports its child would otherwise repeat."""
    started = time.monotonic()
    with _served(["grader.sandbox.ready", "slow_for_test"]) as ask:
        ready_answered, ready_code = ask("grader.sandbox.ready")
        slow_answered, slow_code = ask("slow_for_test")
    assert (ready_code, slow_code) == (0, 7)
    assert ready_answered - started < 0.45, "a module already imported is forked at once"
    assert slow_answered - started >= 0.5, "a module still to import waits for the imports"


def test_a_module_marked_for_idle_time_is_imported_while_nothing_runs() -> None:
    """A kept server imports the network challenges' libraries while it has nothing else to do:
    the next child finds them loaded (here: a child of a module whose import takes 0.5 s ends at
    once)."""
    with _served(["grader.sandbox.ready", "~slow_for_test"]) as ask:
        time.sleep(1.5)  # the server is idle: it imports slow_for_test meanwhile
        asked = time.monotonic()
        _answered, code = ask("slow_for_test")
        took = time.monotonic() - asked
    assert code == 7
    assert took < 0.4, f"the child imported the module itself ({took:.2f} s)"
