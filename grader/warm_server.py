"""The warm server itself: imports what runs need once, then forks a child per request.

    python -I -B -m grader.warm_server FD MODULE...                 one grader's own (socket FD)
    python -I -B -m grader.warm_server --keep PATH SECONDS MODULE... kept for the learner's loop

A MODULE written "~name" is imported only while the server has nothing else to do.

Single-threaded (a keeper must be, to enter a user namespace); holds no secret (a child's key reaches
it on a pipe the server passes on unread); starts nothing of its own; no subreaper. A request is one
JSON message with the file descriptors the child gets (SCM_RIGHTS); the server forks, answers the
child's pid, and reports its exit status when it ends. The child starts a session of its own, puts
the descriptors at the numbers asked, closes every other, takes the cwd, umask and environment given
and runs `main(argv)` of its module, exactly as `python -I -B -m MODULE ARGV...` would.

One grader's own server ends when that grader closes its end (its children follow, by PDEATHSIG).
A kept server (grader/kept_server.py) listens on a Unix socket, serves one grader after another,
stops the children of a grader that went away (SIGTERM: a keeper still cleans up; SIGKILL after
STOP_GRACE) and ends after SECONDS with no grader and no child.

Imports grader.kept_server only (the modules it preloads are named on its command line).
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
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

MAX_FDS = 16
PR_SET_NAME = 15
STOP_GRACE = 5.0  # seconds a gone grader's children get between SIGTERM and SIGKILL


@dataclass
class _Client:
    """One connected grader: its socket, its living children, a request held for the imports."""

    channel: socket.socket
    children: set[int] = field(default_factory=set)
    held: tuple[dict[str, object], list[int]] | None = None


def serve(preload: Sequence[str], channel: socket.socket | None = None,
          listener: socket.socket | None = None, idle: float = 0.0) -> None:
    """Import preload, then fork a child per request: for the grader on channel until it closes
    its end, or for each grader connecting to listener until idle seconds pass with none. A request
    arriving meanwhile for a module already imported (the isolation probe's keeper) is answered
    between two imports; any other waits for the rest, which its child would import anyway."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ended_read, ended_write = os.pipe()
    os.set_blocking(ended_write, False)
    signal.set_wakeup_fd(ended_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # the wakeup byte is what the loop waits for
    server = _Serving([ended_read, ended_write], listener, idle)
    server.when_idle = [name[1:] for name in preload if name.startswith("~")]
    if channel is not None:
        server.add(channel)
    with server.selector:
        for name in (name for name in preload if not name.startswith("~")):
            importlib.import_module(name)
            if not server.answer(timeout=0, early=True):
                return
        # What the imports made lives as long as every child: a child's full collection (the
        # witness and the executor run one per trial, for never-awaited coroutines) need not scan
        # it again, and never touching it keeps the forked pages shared.
        gc.freeze()
        while server.answer(timeout=server.wait()):
            server.import_when_idle()


class _Serving:
    """The server's loop: graders in, requests answered, children's ends reported to their grader."""

    def __init__(self, ended: list[int], listener: socket.socket | None, idle: float) -> None:
        self.ended, self.listener, self.idle = ended, listener, idle
        self.graders: dict[int, _Client] = {}
        self.owner: dict[int, _Client] = {}        # child pid -> the grader that asked for it
        self.doomed: dict[int, float] = {}         # child pid -> when SIGKILL follows SIGTERM
        self.last_seen = time.monotonic()
        self.when_idle: list[str] = []
        self.selector = selectors.DefaultSelector()
        self.selector.register(ended[0], selectors.EVENT_READ, "ended")
        if listener is not None:
            self.selector.register(listener, selectors.EVENT_READ, "listen")

    def add(self, channel: socket.socket) -> None:
        self.graders[channel.fileno()] = _Client(channel)
        self.selector.register(channel, selectors.EVENT_READ, "request")

    def idle_now(self) -> bool:
        return not self.owner and not any(c.held for c in self.graders.values())

    def import_when_idle(self) -> None:
        """One of the modules marked "~", while no child runs and no request waits."""
        if self.when_idle and self.idle_now():
            with contextlib.suppress(ImportError):
                importlib.import_module(self.when_idle.pop(0))
            if not self.when_idle:
                gc.freeze()

    def wait(self) -> float | None:
        """How long the loop may sleep: until a doomed child's SIGKILL, or the idle end (at once,
        with modules still to import and nothing to do)."""
        if self.when_idle and self.idle_now():
            return 0.0
        due = [*self.doomed.values()]
        if self.listener is not None and not self.graders and not self.owner:
            due.append(self.last_seen + self.idle)
        return max(0.0, min(due) - time.monotonic()) if due else None

    def answer(self, timeout: float | None, early: bool = False) -> bool:
        """Fork for each request waiting (early: only one whose module is imported; a grader sends
        its next request only once this one is answered); report the children that ended. False
        once the server should end: its one grader gone, or a kept server idle long enough."""
        if not early:
            for client in list(self.graders.values()):
                if client.held is not None:
                    self._fork(client, *client.held)
                    client.held = None
        for key, _ in self.selector.select(timeout):
            if key.data == "ended":
                os.read(self.ended[0], 4096)
            elif key.data == "listen":
                with contextlib.suppress(OSError):
                    self.add(self.listener.accept()[0])  # type: ignore[union-attr]
            elif (client := self.graders.get(key.fd)) is not None:
                self._request(client, early)
        self._report_ended()
        self._kill_overdue()
        if self.listener is None:
            return bool(self.graders)
        if self.graders or self.owner:
            self.last_seen = time.monotonic()
        return time.monotonic() - self.last_seen < self.idle

    def _request(self, client: _Client, early: bool) -> None:
        if client.held is not None:
            return  # no second request comes before the held one is answered
        try:
            message, fds, _flags, _addr = socket.recv_fds(client.channel, 1 << 20, MAX_FDS)
        except OSError:
            message, fds = b"", []
        if not message:
            self._gone(client)
            return
        request = json.loads(message)
        if early and str(request.get("module")) not in sys.modules:
            client.held = (request, fds)
        else:
            self._fork(client, request, fds)

    def _fork(self, client: _Client, request: dict[str, object], fds: list[int]) -> None:
        pid = os.fork()
        if pid == 0:
            _become_child(request, fds, [*self.ended, *(g.channel.fileno() for g in
                                                         self.graders.values())],
                          [] if self.listener is None else [self.listener.fileno()])
        for fd in fds:
            os.close(fd)
        client.children.add(pid)
        self.owner[pid] = client
        self._send(client, {"pid": pid})

    def _send(self, client: _Client, message: dict[str, int]) -> None:
        try:
            client.channel.sendall(json.dumps(message).encode() + b"\n")
        except OSError:
            self._gone(client)

    def _gone(self, client: _Client) -> None:
        """A grader closed its end (or died): what it started is stopped, as its own server's
        children would be by PDEATHSIG when that server ended with it."""
        if self.graders.pop(client.channel.fileno(), None) is None:
            return
        self.selector.unregister(client.channel)
        client.channel.close()
        for fd in client.held[1] if client.held is not None else []:
            os.close(fd)
        client.held = None
        for pid in client.children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGTERM)
            self.doomed[pid] = time.monotonic() + STOP_GRACE

    def _report_ended(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.doomed.pop(pid, None)
            client = self.owner.pop(pid, None)
            if client is not None:
                client.children.discard(pid)
                if client.channel.fileno() in self.graders:
                    self._send(client, {"ended": pid, "code": os.waitstatus_to_exitcode(status)})

    def _kill_overdue(self) -> None:
        now = time.monotonic()
        for pid, due in list(self.doomed.items()):
            if due <= now:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)
                del self.doomed[pid]


def _become_child(request: dict[str, object], fds: list[int], server_fds: list[int],
                  listening: list[int]) -> None:
    """Turn this fork into `python -I -B -m module argv...`; never returns."""
    code = 70
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in [*server_fds, *listening]:
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
        if isinstance(request.get("umask"), int):
            os.umask(request["umask"])  # type: ignore[arg-type]
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


def main(argv: list[str]) -> None:
    if argv[:1] == ["--keep"]:
        from grader import kept_server

        listening = kept_server.listen(argv[1])
        if listening is not None:
            try:
                serve(argv[3:], listener=listening[0], idle=float(argv[2]))
            finally:
                kept_server.forget(argv[1], *listening)
    else:
        serve(argv[1:], channel=socket.socket(fileno=int(argv[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
    # Nothing to flush or finalize: ending now spares the grader, which waits for its own server
    # at its exit, the teardown of every module preloaded (a fifth of a second).
    os._exit(0)
