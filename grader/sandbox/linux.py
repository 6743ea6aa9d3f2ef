"""Linux process control for the sandbox: reading /proc, prctl, signalling and reaping.

Standard library only; imports nothing from the kit. Everything here degrades to "not available"
(False, empty) rather than raising, so the grader still runs on a platform or in a container that
allows less; the sandbox reports what it could apply. Namespaces and mounts are in namespaces.py.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LINUX = sys.platform.startswith("linux")
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36

_libc = ctypes.CDLL(None, use_errno=True) if LINUX else None


def _call(name: str, *args: object) -> bool:
    function = getattr(_libc, name, None)
    return function is not None and function(*args) == 0


def set_subreaper() -> bool:
    """Orphaned descendants (double forks, setsid daemons) are re-parented to us, not to init."""
    return _call("prctl", PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def set_dumpable(dumpable: bool) -> bool:
    """Whether same-uid processes may ptrace us or read our /proc/<pid>/mem and syscall files."""
    return _call("prctl", PR_SET_DUMPABLE, int(dumpable), 0, 0, 0)


def die_with_parent(signum: int) -> bool:
    """Get signum when the parent dies. Credential changes clear it: call after setuid."""
    return _call("prctl", PR_SET_PDEATHSIG, int(signum), 0, 0, 0)


@dataclass(frozen=True)
class Proc:
    """One process as /proc/<pid>/status shows it."""

    pid: int
    ppid: int
    uid: int
    pgid: int
    sid: int
    threads: int
    rss: int  # bytes
    zombie: bool


def processes() -> list[Proc]:
    """Every process we can see; vanished ones are skipped."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                proc = _read(int(entry.name))
                if proc is not None:
                    found.append(proc)
    return found


# The first value of each line the sandbox needs (Uid: real, effective...; NSpgid: as this /proc sees it).
_STATUS_FIELDS = re.compile(rb"^(State|PPid|Uid|NSpgid|NSsid|Threads|VmRSS):\s*(\S+)", re.MULTILINE)


def _read(pid: int) -> Proc | None:
    text = proc_file(pid, "status")
    if text is None:
        return None
    fields = dict(_STATUS_FIELDS.findall(text))

    def number(key: bytes, default: int = 0) -> int:
        value = fields.get(key, b"")
        return int(value) if value.lstrip(b"-").isdigit() else default

    return Proc(pid=pid, ppid=number(b"PPid"), uid=number(b"Uid", -1), pgid=number(b"NSpgid"),
                sid=number(b"NSsid"), threads=number(b"Threads", 1), rss=number(b"VmRSS") * 1024,
                zombie=fields.get(b"State", b"").startswith((b"Z", b"X")))


def proc_file(pid: int, name: str) -> bytes | None:
    """/proc/<pid>/<name>, or None when it cannot be read (gone, or not ours). Plain os reads: a
    sweep reads one file of every process, and Path.read_bytes costs twice as much."""
    try:
        fd = os.open(f"/proc/{pid}/{name}", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    chunks = []
    try:
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return b"".join(chunks)


def started(pid: int) -> int:
    """When the process started, in clock ticks since boot (0 when it is gone)."""
    try:
        return int((proc_file(pid, "stat") or b"").rsplit(b")", 1)[1].split()[19])
    except (ValueError, IndexError):
        return 0


def proportional_memory(pid: int) -> int:
    """Bytes of memory the process accounts for, shared pages split among their users (PSS)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def descendants(root: int, procs: list[Proc]) -> list[Proc]:
    """Every process below root in the parent tree (complete when root is a subreaper)."""
    children: dict[int, list[Proc]] = {}
    for proc in procs:
        children.setdefault(proc.ppid, []).append(proc)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child.pid)
    return found


def carries(pid: int, marker: bytes) -> bool:
    """True when the process's initial environment holds marker (readable for our own uid, or root)."""
    return marker in (proc_file(pid, "environ") or b"")


def kill(pids: Iterable[int]) -> int:
    """SIGKILL each pid; returns how many signals were delivered."""
    return signal_all(pids, signal.SIGKILL)


def signal_all(pids: Iterable[int], signum: int) -> int:
    sent = 0
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)
            sent += 1
    return sent


def kill_uid(uid: int, gid: int) -> None:
    """Kill every process of uid at once, from a single-threaded root process.

    kill(-1) from a process running as uid signals every process that uid may signal, in one pass
    the kernel makes under its task-list lock: a fork bomb cannot add processes while it runs.
    """
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def reap() -> list[tuple[int, int, object]]:
    """Collect every exited child without blocking: (pid, wait status, rusage)."""
    done = []
    while True:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return done
        if pid == 0:
            return done
        done.append((pid, status, usage))
