"""A warm start for the processes every run needs: the keeper (grader/sandbox) and the witness.

Each run used to start two fresh interpreters, which then imported pytest, the testkit, the witness
and the sandbox: about half a second of CPU before the first test. Instead, one server process per
grader process (`python -I -B -m grader.forkserver MODULE...`) imports those modules once and forks
each child from that warm state on request; a fork costs milliseconds.

The server is single-threaded (a keeper must be, to enter a user namespace), holds no secret (a
child's key reaches it on a pipe the server passes on unread), starts nothing of its own, ends with
the grader (its socket's end: no PDEATHSIG, which would follow the grader thread that started it,
not the grader), and is no subreaper (an orphan of a run still
goes to the grader's own sweep). A request is one JSON message on a socket pair with the file
descriptors the child gets (SCM_RIGHTS); the server forks, answers the child's pid, and reports its
exit status when it ends. The child starts a session of its own, puts the descriptors at the
numbers asked, closes every other, takes the cwd and environment given and runs `main(argv)` of
its module, exactly as `python -I -B -m MODULE ARGV...` would (which is also the fallback:
`GRADER_WARM=0`, a platform without fork, or a server that died).

Imports nothing from the kit (the modules it preloads are named by its callers).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

WARM_VARIABLE = "GRADER_WARM"   # "0": start every child as a fresh interpreter
# What keepers, executors and witnesses import (grader.witness.main brings pytest's plugins and the
# kit's, which a witness then registers as they are: grader/witness/main.py). A keeper's modules come
# first: the isolation probe (a keeper and an executor's imports) is forked as soon as they are in,
# and runs while the server imports the rest.
PRELOAD = ("grader.sandbox.keeper", "grader.sandbox.inside", "grader.witness.executor", "pytest",
           "asyncio", "grader.testkit.checks", "grader.testkit.trial", "grader.testkit.lifecycle",
           "grader.testkit.ordering", "grader.witness.main", "grader.witness.host",
           "grader.witness.session", "grader.witness.sampler")
MAX_FDS = 16
PR_SET_NAME = 15


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

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = {k: v for k, v in os.environ.items() if k != WARM_VARIABLE}
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-m", "grader.forkserver", str(theirs.fileno()), *PRELOAD],
            pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL,
            start_new_session=True)  # Ctrl-C in the terminal is the grader's to handle
        theirs.close()
        self.socket = ours
        self.lock = threading.Lock()
        self.children: dict[int, Child] = {}
        self.started: list[int] = []
        self.answered = threading.Condition()
        self.alive = True
        threading.Thread(target=self._read, name="grader-forkserver", daemon=True).start()

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
                return self.children[self.started.pop()]

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
                self.children[message["pid"]] = Child(message["pid"])
                self.started.append(message["pid"])
                self.answered.notify_all()
        elif "ended" in message:
            with self.answered:
                child = self.children.pop(message["ended"], None)
            if child is not None:
                child.returncode = message["code"]
                child.ended.set()


_server: _Server | None = None
_server_lock = threading.Lock()


def enabled() -> bool:
    return (os.environ.get(WARM_VARIABLE, "1") != "0" and hasattr(os, "fork")
            and hasattr(socket, "send_fds"))


def server_pid() -> int | None:
    """The running server's pid (a child of the grader no sweep may take for a run's orphan)."""
    return _server.process.pid if _server is not None and _server.alive else None


def start_soon() -> None:
    """Start the server now (it imports in the background) so the first spawn finds it warm."""
    global _server
    if enabled():
        with _server_lock:
            if _server is None or not _server.alive:
                with contextlib.suppress(OSError):
                    _server = _Server()


def spawn(module: str, argv: list[str], *, cwd: str, env: dict[str, str], stdin: int, stdout: int,
          stderr: int, pass_fds: Sequence[int] = ()) -> Child | subprocess.Popen[bytes]:
    """Start `python -I -B -m module argv...` with these descriptors (pass_fds keep their numbers),
    in a session of its own: forked from the warm server when it can be, else a fresh
    interpreter. The caller closes its copies of the child's descriptors."""
    if enabled():
        request = {"module": module, "argv": argv, "cwd": cwd, "env": env,
                   "targets": [0, 1, 2, *pass_fds]}
        start_soon()
        server = _server
        if server is not None:
            with contextlib.suppress(OSError):
                return server.spawn(request, [stdin, stdout, stderr, *pass_fds])
    return subprocess.Popen([sys.executable, "-I", "-B", "-m", module, *argv], cwd=cwd, env=env,
                            stdin=stdin, stdout=stdout, stderr=stderr, pass_fds=tuple(pass_fds),
                            start_new_session=True)


def stop() -> None:
    """End the server (it also ends by itself when the grader does)."""
    global _server
    with _server_lock:
        if _server is not None:
            with contextlib.suppress(OSError):
                _server.socket.shutdown(socket.SHUT_RDWR)  # wakes the reader; the server sees EOF
                _server.socket.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                _server.process.wait(timeout=5)
            _server = None


def _forget_in_child() -> None:
    """A process forked from the grader must not talk on the grader's socket: it starts its own."""
    global _server
    _server = None


atexit.register(stop)
os.register_at_fork(after_in_child=_forget_in_child)


# -- the server ---------------------------------------------------------------------------------

def serve(channel: socket.socket, preload: Sequence[str]) -> None:
    """Import preload, then fork a child per request until the grader closes its end. A request
    arriving meanwhile for a module already imported (the isolation probe's keeper) is answered
    between two imports; any other waits for the rest, which its child would import anyway."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ended_read, ended_write = os.pipe()
    os.set_blocking(ended_write, False)
    signal.set_wakeup_fd(ended_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # the wakeup byte is what the loop waits for
    server = _Serving(channel, [channel.fileno(), ended_read, ended_write])
    with server.selector:
        for name in preload:
            importlib.import_module(name)
            if not server.answer(timeout=0, early=True):
                return
        # What the imports made lives as long as every child: a child's full collection (the
        # witness and the executor run one per trial, for never-awaited coroutines) need not scan
        # it again, and never touching it keeps the forked pages shared.
        gc.freeze()
        while server.answer(timeout=None):
            pass


class _Serving:
    """The server's loop: requests in, children forked, their ends reported."""

    def __init__(self, channel: socket.socket, server_fds: list[int]) -> None:
        self.channel, self.server_fds = channel, server_fds
        self.selector = selectors.DefaultSelector()
        self.selector.register(channel, selectors.EVENT_READ, "request")
        self.selector.register(server_fds[1], selectors.EVENT_READ, "ended")
        self.held: tuple[dict[str, object], list[int]] | None = None  # asked before its imports

    def answer(self, timeout: float | None, early: bool = False) -> bool:
        """Fork for each request waiting (early: only one whose module is imported; the grader
        sends the next request only once this one is answered); report the children that ended.
        False once the grader has closed its end."""
        if self.held is not None and not early:
            self._fork(*self.held)
            self.held = None
        for key, _ in self.selector.select(timeout):
            if key.data == "ended":
                os.read(self.server_fds[1], 4096)
                _report_ended(self.channel)
                continue
            if self.held is not None:
                continue  # no second request comes before the held one is answered
            message, fds, _flags, _addr = socket.recv_fds(self.channel, 1 << 20, MAX_FDS)
            if not message:
                return False
            request = json.loads(message)
            if early and str(request.get("module")) not in sys.modules:
                self.held = (request, fds)
            else:
                self._fork(request, fds)
        _report_ended(self.channel)
        return True

    def _fork(self, request: dict[str, object], fds: list[int]) -> None:
        pid = os.fork()
        if pid == 0:
            _become_child(request, fds, self.server_fds)
        for fd in fds:
            os.close(fd)
        self.channel.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _report_ended(channel: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        channel.sendall(json.dumps({"ended": pid, "code": os.waitstatus_to_exitcode(status)})
                        .encode() + b"\n")


def _become_child(request: dict[str, object], fds: list[int], server_fds: list[int]) -> None:
    """Turn this fork into `python -I -B -m module argv...`; never returns."""
    code = 70
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in server_fds:
            os.close(fd)
        os.setsid()
        _name_process(str(request["module"]))
        targets = list(request["targets"])  # type: ignore[call-overload]
        moved = [_out_of_the_way(fd) for fd in fds]  # so no dup2 below lands on one still needed
        for fd, target in zip(moved, targets, strict=True):
            os.dup2(fd, target)
        for fd in _open_fds():
            if fd not in targets:
                with contextlib.suppress(OSError):
                    os.close(fd)
        os.chdir(str(request["cwd"]))
        os.environ.clear()
        os.environ.update(request["env"])  # type: ignore[call-overload]
        module = str(request["module"])
        sys.argv = [module, *request["argv"]]  # type: ignore[misc]
        code = _run(module, list(request["argv"]))  # type: ignore[call-overload]
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _run(module: str, argv: list[str]) -> int:
    """main(argv) of module, then what an interpreter's exit does: join threads, run atexit."""
    try:
        code = importlib.import_module(module).main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    return int(code or 0)


def _name_process(module: str) -> None:
    """A kernel name saying what the fork became (`grader-keeper`, `grader-witness`), where a fresh
    interpreter would show its command line: ps and the tests can tell them from the server."""
    parts = module.split(".")
    name = f"grader-{parts[-2] if parts[-1] == 'main' and len(parts) > 1 else parts[-1]}"
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


def _out_of_the_way(fd: int) -> int:
    import fcntl

    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 64)
    os.close(fd)
    return moved


def _open_fds() -> list[int]:
    try:
        return [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return list(range(3, 256))


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])), sys.argv[2:])
    # Nothing to flush or finalize: ending now spares the grader, which waits for the server at
    # its exit, the teardown of every module preloaded (a fifth of a second).
    os._exit(0)
