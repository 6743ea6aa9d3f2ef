"""A warm server kept between commands, for the learner's loop: where it listens, how a grader finds
or starts one.

A learner runs `grader check` again and again; each used to start its own warm server and wait for
its imports (pytest, the testkit, the witness, the sandbox: about 0.3 s of CPU) before the first
run. `grader check` instead connects to a server a previous command left listening, or starts one
that outlives it and ends after IDLE_SECONDS with nothing to do (grader/warm_server.py).

Who may use it: the socket lives in a folder only this user can enter ($XDG_RUNTIME_DIR/grader, or
/tmp/grader-warm-UID), made by this user with mode 0700, and the server at the other end must run as
this user (SO_PEERCRED); a run in its own namespaces cannot see either. Its name is a fingerprint
of the interpreter, its locale, the modules preloaded, the kit's own files and the installed
packages' folders: a changed kit or an upgraded pytest gets a fresh server, and the stale one idles
out. Only runs in their own namespaces use a kept server (grader/sandbox/mode.py lets go of it
otherwise, and on a machine without them declines it for good): their processes end with their PID
namespace, so the grader's orphan sweep, which needs the runs below it, is not needed.

Imports nothing from the kit (it fingerprints the grader package by its folder).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import stat
import struct
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

KEEP_VARIABLE = "GRADER_KEEP_WARM"   # "0": every command starts (and ends) a server of its own
IDLE_SECONDS = 600.0                 # a kept server with no grader and no child for this long ends
START_WAIT = 3.0                     # seconds a grader waits for the server it started to listen
SOCKET_PATH_LIMIT = 108              # bytes in a Unix socket's path, its final NUL included
PID_SUFFIX = 12                      # ".PID" of the name a server binds before taking the place
LOCALE = ("LANG", "LC_ALL", "LC_CTYPE")  # fixed at the server's start, inherited by every child
DECLINED, NAMESPACES = "declined", "namespaces"  # facts noted beside the socket
_started: list[subprocess.Popen[bytes]] = []  # held, so no ResourceWarning says it still runs


def enabled() -> bool:
    return os.environ.get(KEEP_VARIABLE, "1") != "0" and sys.platform.startswith("linux")


def find_or_start(preload: Sequence[str]) -> tuple[socket.socket, int] | None:
    """A connection to this kit's kept server and the server's pid, starting one if none listens;
    None where none can be had (then the grader starts a server of its own)."""
    place = address(preload)
    if place is None or os.path.exists(_beside(place, DECLINED)):
        return None
    found = connect(place)
    if found is not None:
        return found
    with contextlib.suppress(OSError):
        _started.append(subprocess.Popen(
            [sys.executable, "-I", "-B", "-m", "grader.warm_server", "--keep", place,
             str(IDLE_SECONDS), *preload], cwd="/", stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            env={k: os.environ[k] for k in ("PATH", *LOCALE) if k in os.environ}))
        deadline = time.monotonic() + START_WAIT
        while time.monotonic() < deadline:
            if (found := connect(place)) is not None:
                return found
            time.sleep(0.005)
    return None


def decline(preload: Sequence[str]) -> None:
    """Keep no server for this kit on this machine: its runs cannot have namespaces of their own,
    so they would never use one (a machine without them; a new kit or boot asks again)."""
    note(preload, DECLINED)


def note(preload: Sequence[str], fact: str) -> None:
    """Remember a fact about this machine beside the socket (DECLINED, or NAMESPACES: a probe
    found that runs get namespaces of their own, so later checks need not probe again)."""
    place = address(preload)
    if place is not None:
        with contextlib.suppress(OSError):
            Path(_beside(place, fact)).touch()


def noted(preload: Sequence[str], fact: str) -> bool:
    place = address(preload)
    return place is not None and os.path.exists(_beside(place, fact))


def _beside(place: str, fact: str) -> str:
    return f"{place.removesuffix('.sock')}.{fact}"


def address(preload: Sequence[str]) -> str | None:
    """The socket's path for this interpreter, locale, kit and packages; None without a safe
    folder whose path is short enough for a Unix socket."""
    digest = hashlib.sha256(repr((sys.executable, sys.version, list(preload),
                                  [os.environ.get(k) for k in LOCALE])).encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            info = path.stat()
            digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}".encode())
    for entry in sys.path:  # an install or upgrade changes its packages folder
        if entry.endswith(("site-packages", "dist-packages")):
            with contextlib.suppress(OSError):
                digest.update(f"{entry}:{os.stat(entry).st_mtime_ns}".encode())
    name = f"{digest.hexdigest()[:24]}.sock"
    for folder in _folders():
        if len(os.fsencode(folder / name)) + PID_SUFFIX < SOCKET_PATH_LIMIT:
            return str(folder / name)
    return None


def connect(place: str) -> tuple[socket.socket, int] | None:
    """A connection to the server at place, if one listens there and runs as this user."""
    channel = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        channel.connect(place)
        pid, uid, _gid = struct.unpack("3i", channel.getsockopt(
            socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    except OSError:
        channel.close()
        return None
    if uid != os.geteuid():
        channel.close()
        return None
    return channel, pid


def listen(place: str) -> tuple[socket.socket, int] | None:
    """The server's side: listen at place (taking it over atomically from a stale socket); the
    listener and the inode of its socket file."""
    fresh = f"{place}.{os.getpid()}"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(fresh)
        listener.bind(fresh)
        inode = os.stat(fresh).st_ino
        listener.listen(16)
        os.rename(fresh, place)
    except OSError:
        listener.close()
        return None
    return listener, inode


def forget(place: str, listener: socket.socket, inode: int) -> None:
    """On the server's end: remove its socket, unless another server has taken the place since."""
    with contextlib.suppress(OSError):
        if os.stat(place).st_ino == inode:
            os.unlink(place)
    listener.close()


def _folders() -> Iterator[Path]:
    """Folders only this user can enter: made here with mode 0700, or found so and owned by us."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    candidates = [Path(runtime) / "grader"] if runtime.startswith("/") else []
    candidates.append(Path("/tmp") / f"grader-warm-{os.geteuid()}")
    for folder in candidates:
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700)
        try:
            info = folder.lstat()
        except OSError:
            continue
        if (stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()
                and not info.st_mode & 0o077):
            yield folder
