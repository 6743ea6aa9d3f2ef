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
from collections.abc import Iterator
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


class _TestModules:
    """A finder for the modules made for these tests. `slow_for_test` takes half a second to
    import; its main(argv) returns 7 if the server imported it before forking the child, 8 if the
    child had to import it itself. `fast_for_test` imports at once; its main(argv) returns 0 if its
    child was forked before `slow_for_test` was imported, 1 if after. `gate_for_test` is imported
    once the test has created the file `go`."""

    def __init__(self, files: Path) -> None:
        self.imported = files / "imported"  # touched once the server has imported slow_for_test
        self.go = files / "go"

    def find_spec(self, name: str, path: object = None, target: object = None) -> object:
        import importlib.machinery

        wanted = ("slow_for_test", "fast_for_test", "gate_for_test")
        return importlib.machinery.ModuleSpec(name, self) if name in wanted else None

    def create_module(self, spec: object) -> None:
        return None

    def exec_module(self, module: object) -> None:
        importer = os.getpid()
        if module.__name__ == "fast_for_test":  # type: ignore[attr-defined]
            module.main = lambda argv: int("slow_for_test" in sys.modules)  # type: ignore[attr-defined]
            return
        if module.__name__ == "gate_for_test":  # type: ignore[attr-defined]
            deadline = time.monotonic() + 30
            while not self.go.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            return
        time.sleep(0.5)
        self.imported.touch()
        module.main = lambda argv: 7 if os.getpid() != importer else 8  # type: ignore[attr-defined]


def _request(channel: socket.socket, module: str) -> None:
    null = os.open(os.devnull, os.O_RDWR)
    request = {"module": module, "argv": [], "cwd": "/", "env": {}, "targets": [0, 1, 2]}
    socket.send_fds(channel, [json.dumps(request).encode()], [null, null, null])
    os.close(null)


class _Grader:
    """This test's side of a warm server's channel: ask for a child, learn its exit code."""

    def __init__(self, channel: socket.socket) -> None:
        self.channel, self.lines = channel, channel.makefile("rb")
        self.codes: dict[int, int] = {}  # child pid -> exit code, as reported

    def ask(self, module: str | None) -> int:
        """The pid of a child of module (None: of the request already waiting)."""
        if module is not None:
            _request(self.channel, module)
        while "pid" not in (message := self._next()):
            pass
        return message["pid"]

    def code(self, pid: int) -> int:
        while pid not in self.codes:
            self._next()
        return self.codes[pid]

    def _next(self) -> dict[str, int]:
        message = json.loads(self.lines.readline())
        if "ended" in message:
            self.codes[message["ended"]] = message["code"]
        return message


@contextlib.contextmanager
def _served(preload: list[str], tmp_path: Path, queued: str | None = None) -> Iterator[_Grader]:
    """A warm server forked from this process (the test modules importable; a request for queued
    already waiting when it starts)."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    if queued is not None:
        _request(ours, queued)
    server = os.fork()
    if server == 0:
        ours.close()
        sys.meta_path.insert(0, _TestModules(tmp_path))
        warm_server.serve(preload, channel=theirs)
        os._exit(0)
    theirs.close()
    grader = _Grader(ours)
    try:
        yield grader
    finally:
        grader.lines.close()
        ours.close()  # the server sees the end and stops
        os.waitpid(server, 0)


def test_a_request_is_forked_between_imports_only_once_its_module_is_imported(
        tmp_path: Path) -> None:
    """The isolation probe's keeper is forked while the server still imports the rest; a witness
    asked for meanwhile waits for the imports its child would otherwise repeat. (Each request is
    in before the server looks, whatever the machine's load: the first waits when the server
    starts, the second is sent before the gate module lets the imports go on.)"""
    preload = ["fast_for_test", "gate_for_test", "slow_for_test"]
    with _served(preload, tmp_path, queued="fast_for_test") as grader:
        fast = grader.ask(None)
        _request(grader.channel, "slow_for_test")
        (tmp_path / "go").touch()
        fast_code, slow_code = grader.code(fast), grader.code(grader.ask(None))
    assert fast_code == 0, "a module already imported is forked at once, between imports"
    assert slow_code == 7, "a module still to import waits for the server's import"


def test_a_module_marked_for_idle_time_is_imported_while_nothing_runs(tmp_path: Path) -> None:
    """A kept server imports the network challenges' libraries while it has nothing else to do:
    the next child finds them loaded."""
    with _served(["fast_for_test", "~slow_for_test"], tmp_path) as grader:
        deadline = time.monotonic() + 30
        while not (tmp_path / "imported").exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # the server is idle: it imports slow_for_test meanwhile
        code = grader.code(grader.ask("slow_for_test"))
    assert code == 7, "the child imported the module itself: the server had not, while idle"
