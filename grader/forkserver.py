"""A warm start for the processes every run needs: the keeper (grader/sandbox) and the witness.

Each run used to start two fresh interpreters, which then imported pytest, the testkit, the witness
and the sandbox: about half a second of CPU before the first test. Instead a warm server
(grader/warm_server.py) imports those modules once and forks each child from that warm state on
request; a fork costs milliseconds. This is the grader's side: starting or finding the server,
asking it for children, and a handle on each child with the part of Popen's interface callers use.

A grader normally starts a server of its own, which ends with the grader (its socket's end: no
PDEATHSIG, which would follow the grader thread that started it, not the grader) and is no
subreaper (an orphan of a run still goes to the grader's own sweep). `grader check` asks to keep
one between commands instead (grader/kept_server.py); runs that are not in namespaces of their own
never use a kept server. The fallback is a fresh interpreter per child, `python -I -B -m MODULE
ARGV...`: `GRADER_WARM=0`, a platform without fork, or a server that died.

Imports grader.kept_server only.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from grader import kept_server

WARM_VARIABLE = "GRADER_WARM"   # "0": start every child as a fresh interpreter
# What keepers, executors and witnesses import (grader.witness.main brings pytest's plugins and the
# kit's, which a witness then registers as they are: grader/witness/main.py). A keeper's modules come
# first: the isolation probe (a keeper and an executor's imports) is forked as soon as they are in,
# and runs while the server imports the rest.
PRELOAD = ("grader.sandbox.keeper", "grader.sandbox.inside", "grader.witness.executor", "pytest",
           "asyncio", "grader.testkit.checks", "grader.testkit.trial", "grader.testkit.lifecycle",
           "grader.testkit.ordering", "grader.witness.main", "grader.witness.host",
           "grader.witness.session", "grader.witness.sampler")
# A server kept between checks imports more, since it pays once for many runs: what every witness
# imports as it runs, then (marked "~": while it has nothing else to do, so no check waits for them)
# the libraries the network challenges' tests and solutions import.
KEPT_PRELOAD = (*PRELOAD, "grader.witness.scenario", "pdb", "_pytest._argcomplete",
                *(f"~{name}" for name in ("httpx", "uvicorn", "starlette.applications", "fastapi",
                                          "websockets", "grader.testkit.serving",
                                          "grader.testkit.web", "grader.testkit.site")))


# -- the grader's side ------------------------------------------------------------------------

@dataclass
class Child:
    """A child the server forked, with the part of subprocess.Popen's interface the callers use."""

    pid: int
    returncode: int | None = None
    ended: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float | None = None) -> int:
        if not self.ended.wait(timeout):
            raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout or 0.0)
        assert self.returncode is not None
        return self.returncode

    def poll(self) -> int | None:
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if not self.ended.is_set():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)


class _Server:
    """The grader's handle on the running server: one request at a time, one reader thread."""

    def __init__(self, channel: socket.socket, pid: int,
                 process: subprocess.Popen[bytes] | None = None) -> None:
        self.socket, self.pid, self.process = channel, pid, process
        self.kept = process is None  # a kept server: not this grader's child, not ended with it
        self.lock = threading.Lock()
        self.children: dict[int, Child] = {}
        self.started: list[Child] = []  # answered, not yet handed to spawn (maybe ended)
        self.answered = threading.Condition()
        self.alive = True
        threading.Thread(target=self._read, name="grader-forkserver", daemon=True).start()

    @classmethod
    def own(cls) -> _Server:
        """A server of this grader's own, on a socket pair."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = {k: v for k, v in os.environ.items() if k != WARM_VARIABLE}
        process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-m", "grader.warm_server", str(theirs.fileno()),
             *PRELOAD], pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL,
            start_new_session=True)  # Ctrl-C in the terminal is the grader's to handle
        theirs.close()
        return cls(ours, process.pid, process)

    def close(self) -> None:
        """Close this grader's end: its own server ends (and is waited for); a kept one stops
        this grader's children and serves on."""
        with contextlib.suppress(OSError):
            self.socket.shutdown(socket.SHUT_RDWR)  # wakes the reader; the server sees EOF
            self.socket.close()
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)

    def spawn(self, request: dict[str, object], fds: Sequence[int]) -> Child:
        with self.lock:
            if not self.alive:
                raise OSError("the fork server has stopped")
            socket.send_fds(self.socket, [json.dumps(request).encode()], list(fds))
            with self.answered:
                if not self.answered.wait_for(lambda: self.started or not self.alive, timeout=30):
                    self.alive = False  # a late answer must never be taken for the next request's
                    with contextlib.suppress(OSError):
                        self.socket.shutdown(socket.SHUT_RDWR)  # the server ends, and its children
                    raise OSError("the fork server did not answer")
                if not self.started:
                    raise OSError("the fork server has stopped")
                return self.started.pop()

    def _read(self) -> None:
        buffer = b""
        with contextlib.suppress(OSError):
            while chunk := self.socket.recv(65536):
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    self._handle(json.loads(line))
        with self.answered:
            self.alive = False
            self.answered.notify_all()
        for child in self.children.values():  # their server is gone; so are they (PDEATHSIG)
            if not child.ended.is_set():
                child.returncode = -signal.SIGKILL
                child.ended.set()

    def _handle(self, message: dict[str, int]) -> None:
        if "pid" in message:
            with self.answered:
                child = Child(message["pid"])
                self.children[child.pid] = child
                self.started.append(child)
                self.answered.notify_all()
        elif "ended" in message:
            with self.answered:
                child = self.children.pop(message["ended"], None)
            if child is not None:
                child.returncode = message["code"]
                child.ended.set()


_server: _Server | None = None
_retired: list[_Server] = []  # kept servers let go of while their children may still run
_keep = False                 # the command asked for a kept server (start_soon(keep=True))
_server_lock = threading.Lock()
_umask: list[int] = []


def enabled() -> bool:
    return (os.environ.get(WARM_VARIABLE, "1") != "0" and hasattr(os, "fork")
            and hasattr(socket, "send_fds"))


def server_pid() -> int | None:
    """The running server's pid (one no sweep may take for a run's orphan)."""
    return _server.pid if _server is not None and _server.alive else None


def start_soon(keep: bool = False) -> None:
    """Start the server now (it imports in the background) so the first spawn finds it warm; keep:
    use a server kept between commands, starting one if none listens (the learner's loop)."""
    global _server, _keep
    if enabled():
        with _server_lock:
            _keep = _keep or keep
            if _server is None or not _server.alive:
                found = kept_server.find_or_start(KEPT_PRELOAD) if _keep and kept_server.enabled() \
                    else None
                with contextlib.suppress(OSError):
                    _server = _Server(*found) if found is not None else _Server.own()


def unkeep(for_good: bool = False) -> None:
    """From now on, children come from a server of this grader's own: a run that is not in
    namespaces of its own needs its orphans to come to this grader's sweep. Children the kept server
    already started run on (its connection is closed at the grader's end). for_good: this machine
    gives no run namespaces, so later commands keep no server either."""
    global _server, _keep
    with _server_lock:
        if for_good and _keep:
            kept_server.decline(KEPT_PRELOAD)
        _keep = False
        if _server is not None and _server.kept:
            _retired.append(_server)
            _server = None


def probed_namespaces() -> bool:
    """A check keeping a server: an earlier one on this machine found that runs get namespaces of
    their own (noted beside the kept server's socket, which only this user can reach), so the
    isolation probe need not run again in front of this check's first run."""
    return _keep and kept_server.enabled() and kept_server.noted(KEPT_PRELOAD, kept_server.NAMESPACES)


def note_namespaces() -> None:
    if _keep and kept_server.enabled():
        kept_server.note(KEPT_PRELOAD, kept_server.NAMESPACES)


def spawn(module: str, argv: list[str], *, cwd: str, env: dict[str, str], stdin: int, stdout: int,
          stderr: int, pass_fds: Sequence[int] = ()) -> Child | subprocess.Popen[bytes]:
    """Start `python -I -B -m module argv...` with these descriptors (pass_fds keep their numbers),
    in a session of its own: forked from the warm server when it can be, else a fresh
    interpreter. The caller closes its copies of the child's descriptors."""
    if enabled():
        request = {"module": module, "argv": argv, "cwd": cwd, "env": env, "umask": _own_umask(),
                   "targets": [0, 1, 2, *pass_fds]}
        for _attempt in range(2):  # a kept server may have just ended, idle: then one of our own
            start_soon()
            server = _server
            if server is None:
                break
            try:
                return server.spawn(request, [stdin, stdout, stderr, *pass_fds])
            except OSError:
                if server.kept:
                    unkeep()
    return subprocess.Popen([sys.executable, "-I", "-B", "-m", module, *argv], cwd=cwd, env=env,
                            stdin=stdin, stdout=stdout, stderr=stderr, pass_fds=tuple(pass_fds),
                            start_new_session=True)


def stop() -> None:
    """Let go of the server (a server of the grader's own also ends by itself when the grader
    does; a kept one serves on)."""
    global _server
    with _server_lock:
        for server in [*_retired, *([_server] if _server is not None else [])]:
            server.close()
        _retired.clear()
        _server = None


def _own_umask() -> int | None:
    """This process's umask, for the children (read from /proc: setting it to read it would race
    with other threads creating files)."""
    if not _umask:
        try:
            text = Path("/proc/self/status").read_text()
            _umask.append(int(next(line.split()[1] for line in text.splitlines()
                                   if line.startswith("Umask:")), 8))
        except (OSError, StopIteration, ValueError, IndexError):
            return None
    return _umask[0]


def _forget_in_child() -> None:
    """A process forked from the grader must not talk on the grader's socket: it starts its own."""
    global _server, _keep
    _server, _keep = None, False
    _retired.clear()


atexit.register(stop)
os.register_at_fork(after_in_child=_forget_in_child)
