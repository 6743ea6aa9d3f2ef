"""Starting the keeper (keeper.py) for one run and collecting what it leaves behind.

The parent's side of the sandbox; imports policy, files, linux, grader.forkserver (the keeper is
forked warm), grader.settings and grader.testkit.clock (never keeper.py or mode.py). The wall-clock
watchdog (SIGTERM to the keeper, then SIGKILL to its whole session), capped output, the keeper's
status line, and, unless that line says the run's PID namespace is gone, a last sweep for any
process of the run still alive (by sandbox uid, by session, by the run's tag in its environment).
The grader itself is a child subreaper: a process of a run whose keeper was killed (possible only in
WEAK mode) is re-parented to the grader, which kills it after the run, whatever its session,
environment or name.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import select
import signal
import subprocess
import threading
from pathlib import Path
from typing import IO, Any

from grader import forkserver, settings
from grader.sandbox import files, linux
from grader.sandbox.policy import FRESH_UID, NAMESPACES, TAG_VARIABLE, Plan
from grader.testkit import clock

CUT_NOTE = "\n[output cut: the rest of what the tests printed was dropped]\n"
STOP_GRACE = 5.0  # seconds the keeper gets to clean up after the watchdog's SIGTERM
# Set by a batch being interrupted: every running keeper is stopped at once (its run counts as
# not graded; the batch does not record it).
CANCEL = threading.Event()
_trusted: set[int] = set()   # our own children that are not orphans: running keepers, witnesses
_trusted_lock = threading.Lock()


def trust(pid: int) -> None:
    """Declare a child the grader started itself (a witness), so the orphan sweep spares it."""
    with _trusted_lock:
        _trusted.add(pid)


def distrust(pid: int) -> None:
    with _trusted_lock:
        _trusted.discard(pid)


@functools.lru_cache(maxsize=1)
def become_subreaper() -> bool:
    """Orphans of every run come to the grader, not to init (once per grader process)."""
    return linux.set_subreaper()


def launch(plan: Plan, budget: float, home: Path) -> dict[str, Any]:
    """Run the keeper with plan; what the parent observed (see scoring.RunRecord)."""
    become_subreaper()
    if plan.isolation != NAMESPACES:
        forkserver.unkeep()  # only a PID namespace of its own ends a run's every process with it
    status_read, status_write = os.pipe()
    plan_read, plan_write = os.pipe()
    output_read, output_write = os.pipe()
    started = clock.now()
    try:
        with _trusted_lock:  # a sweep in another thread must not take the keeper for an orphan
            process = forkserver.spawn("grader.sandbox.keeper", [str(status_write)], cwd=plan.work,
                                       env=_child_env(home, plan.tag), stdin=plan_read,
                                       stdout=output_write, stderr=output_write,
                                       pass_fds=(status_write,))
            _trusted.add(process.pid)
    finally:
        for fd in (status_write, plan_read, output_write):
            os.close(fd)
    born = linux.started(process.pid)
    output: list[str] = []
    done = threading.Event()
    stdout = os.fdopen(output_read, "rb", buffering=0)
    reader = threading.Thread(target=_read_capped, args=(stdout, output, done), daemon=True)
    reader.start()
    with contextlib.suppress(OSError), os.fdopen(plan_write, "wb") as plan_pipe:
        plan_pipe.write(plan.to_json())
    timed_out = _wait(process, budget)
    duration = clock.now() - started
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # the keeper's group, should anything be left in it
    status = _read_status(status_read)
    distrust(process.pid)
    # A keeper that wrote its status in NAMESPACES reaped the run's init, and with it (the kernel's
    # doing) every process of the run: only a keeper that died leaves the grader something to find.
    emptied = plan.isolation == NAMESPACES and "killed" in status
    leftovers = 0 if emptied else _sweep(process.pid, plan) + _kill_orphans(born)
    removed = files.remove_files_of(plan.uid) if plan.isolation == FRESH_UID and plan.uid else []
    reader.join(timeout=2)
    done.set()
    reader.join(timeout=2)
    killed = int(status.get("killed", 0)) + leftovers
    text = "".join(output)
    if killed or removed:
        note = f" and removed {len(removed)} file(s) it left in temporary folders" if removed else ""
        text += f"\n[grader: stopped {killed} process(es) the run left behind{note}]\n"
    if status.get("problem"):
        text += f"\n[grader: {status['problem']}]\n"
    stopped_for = str(status.get("stopped_for", ""))
    return {"returncode": status.get("returncode", process.returncode), "duration": duration,
            "timed_out": timed_out or stopped_for == "watchdog", "output": text,
            "stopped_for": "" if stopped_for == "watchdog" else stopped_for,
            "cpu": float(status.get("cpu", 0.0)), "max_rss": int(status.get("max_rss", 0)),
            "status": status}


def _wait(process: forkserver.Child | subprocess.Popen[bytes], budget: float) -> bool:
    """Wait for the keeper; past the budget (or on CANCEL) ask it to stop, and kill its session if
    it does not."""
    deadline = clock.now() + budget
    while not CANCEL.is_set() and (left := deadline - clock.now()) > 0:
        try:
            process.wait(timeout=min(left, 0.25))
            return False
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGCONT)  # a keeper the solution stopped must wake to clean up
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return True


def _read_status(fd: int) -> dict[str, Any]:
    chunks = []
    with contextlib.suppress(OSError):
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    os.close(fd)
    try:
        status = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        return {}
    return status if isinstance(status, dict) else {}


def _kill_orphans(born: int) -> int:
    """Kill (and reap) our children that we did not start and that were born after this run's
    keeper: re-parented to us, they can only come from a run whose keeper died."""
    me, killed = os.getpid(), 0
    for _ in range(50):
        with _trusted_lock:
            spared = {*_trusted, forkserver.server_pid()}
            orphans = [p.pid for p in linux.processes() if p.ppid == me and p.pid not in spared
                       and linux.started(p.pid) >= born]
        if not orphans:
            break
        killed += linux.kill(orphans)
        for pid in orphans:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    return killed


def _sweep(keeper: int, plan: Plan) -> int:
    """Kill whatever the run left that the keeper could not (it may itself have been killed)."""
    marker = f"{TAG_VARIABLE}={plan.tag}".encode()
    me, found = os.getpid(), 0
    for _ in range(50):
        left = [p.pid for p in linux.processes() if not p.zombie and p.pid != me and (
            (plan.uid is not None and p.uid == plan.uid)
            or (p.uid == os.getuid() and (keeper in (p.sid, p.pgid) or linux.carries(p.pid, marker))))]
        if not left:
            break
        found += linux.kill(left)
        clock.real_sleep(0.01)
    return found


def _child_env(home: Path, tag: str) -> dict[str, str]:
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ", clock.SCALE_VARIABLE)
            if k in os.environ}
    return {**keep, "HOME": str(home), "TMPDIR": str(home), "PYTHONDONTWRITEBYTECODE": "1",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "MALLOC_ARENA_MAX": "2", "NO_COLOR": "1",
            TAG_VARIABLE: tag}


def _read_capped(stream: IO[bytes] | None, sink: list[str], done: threading.Event) -> None:
    """Keep the first OUTPUT_CAP bytes, drain the rest; give up once told the run is over."""
    if stream is None:
        return
    kept, fd = 0, stream.fileno()
    while not done.is_set():
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        if kept < settings.OUTPUT_CAP:
            part = chunk[: settings.OUTPUT_CAP - kept]
            sink.append(part.decode("utf-8", "replace"))
            kept += len(part)
            if kept >= settings.OUTPUT_CAP:
                sink.append(CUT_NOTE)
    stream.close()
