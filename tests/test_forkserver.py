"""The warm start (grader/forkserver.py, grader/warm_server.py): a run forked from the warm server
and one started as a fresh interpreter (GRADER_WARM=0) give the same verdicts; the server leaves no
child behind a run and ends when told; a process forked from the grader does not reuse the
grader's server; a request is forked before the server's imports are done only if it can be."""

from __future__ import annotations

import contextlib
import os
import select
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


def test_a_child_that_ends_before_its_grader_looks_is_still_handed_over() -> None:
    """Under load the reader thread can take a child's pid and its end before the thread that
    asked wakes up: the child is still the asker's, with its exit code (it was a KeyError)."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    server = forkserver._Server(ours, pid=0)
    theirs.sendall(b'{"pid": 4242}\n{"ended": 4242, "code": 5}\n')  # both read before spawn looks
    deadline = time.monotonic() + 10
    while not (server.started and not server.children) and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        child = server.spawn({"module": "any"}, [])
        assert (child.pid, child.wait(0)) == (4242, 5)
    finally:
        server.close()
        theirs.close()


class _TestModules:
    """A finder for the modules made for these tests, in the server. `slow_for_test` takes half a
    second to import; its main(argv) returns 7 if the server imported it before forking the child,
    8 if the child had to import it itself. `first_for_test` and `gate_for_test` are imported once
    a request waits on the server's channel, so the test's request is in before the server looks,
    whatever the machine's load; first_for_test's main(argv) returns 0 if its child was forked
    before `slow_for_test` was imported, 1 if after."""

    def __init__(self, files: Path, channel: socket.socket) -> None:
        self.imported = files / "imported"  # touched once the server has imported slow_for_test
        self.channel = channel

    def find_spec(self, name: str, path: object = None, target: object = None) -> object:
        import importlib.machinery

        wanted = ("slow_for_test", "first_for_test", "gate_for_test")
        return importlib.machinery.ModuleSpec(name, self) if name in wanted else None

    def create_module(self, spec: object) -> None:
        return None

    def exec_module(self, module: object) -> None:
        name, importer = module.__name__, os.getpid()  # type: ignore[attr-defined]
        if name in ("first_for_test", "gate_for_test"):
            select.select([self.channel], [], [], 30)
        if name == "first_for_test":
            module.main = lambda argv: int("slow_for_test" in sys.modules)  # type: ignore[attr-defined]
        elif name == "slow_for_test":
            time.sleep(0.5)
            self.imported.touch()
            module.main = lambda argv: 7 if os.getpid() != importer else 8  # type: ignore[attr-defined]


@contextlib.contextmanager
def _served(preload: list[str], tmp_path: Path) -> Iterator[Callable[[str], forkserver.Child]]:
    """A warm server forked from this process (the test modules importable), and a function that
    asks it, as a grader does, for a child of a module."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:
        ours.close()
        sys.meta_path.insert(0, _TestModules(tmp_path, theirs))
        warm_server.serve(preload, channel=theirs)
        os._exit(0)
    theirs.close()
    server = forkserver._Server(ours, pid)

    def ask(module: str) -> forkserver.Child:
        null = os.open(os.devnull, os.O_RDWR)
        try:
            return server.spawn({"module": module, "argv": [], "cwd": "/", "env": {},
                                 "targets": [0, 1, 2]}, [null, null, null])
        finally:
            os.close(null)

    try:
        yield ask
    finally:
        server.close()  # the server sees the end and stops
        os.waitpid(pid, 0)


def test_a_request_is_forked_between_imports_only_once_its_module_is_imported(
        tmp_path: Path) -> None:
    """The isolation probe's keeper is forked while the server still imports the rest; a witness
    asked for meanwhile waits for the imports its child would otherwise repeat."""
    with _served(["first_for_test", "gate_for_test", "slow_for_test"], tmp_path) as ask:
        first = ask("first_for_test")
        slow = ask("slow_for_test")
        first_code, slow_code = first.wait(30), slow.wait(30)
    assert first_code == 0, "a module already imported is forked at once, between imports"
    assert slow_code == 7, "a module still to import waits for the server's import"


def test_a_module_marked_for_idle_time_is_imported_while_nothing_runs(tmp_path: Path) -> None:
    """A kept server imports the network challenges' libraries while it has nothing else to do:
    the next child finds them loaded."""
    with _served(["~slow_for_test"], tmp_path) as ask:
        deadline = time.monotonic() + 30
        while not (tmp_path / "imported").exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # the server is idle: it imports slow_for_test meanwhile
        code = ask("slow_for_test").wait(30)
    assert code == 7, "the child imported the module itself: the server had not, while idle"
