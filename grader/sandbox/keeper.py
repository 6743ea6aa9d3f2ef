"""The keeper: the process between the grader and a run.

    python -I -B -m grader.sandbox.keeper STATUS_FD      (the sandbox Plan as JSON on stdin)

Imports policy, files, inside, linux and namespaces (parent.py starts it; nothing here imports
parent.py or mode.py). The keeper is a child subreaper, so nothing the run starts can leave its
tree. With NAMESPACES it enters the run's PID, network and IPC namespaces (and, without root, a user
namespace of its own, mapping only the grader's uid) and forks the run's init (inside.py), which
builds the allow-list file system and forks the sandboxed process; otherwise it forks the sandboxed
process directly. It watches the tree's memory, process count and disk use, and when the run ends
(or the grader sends SIGTERM) kills every process left (with NAMESPACES, killing the init takes the
whole PID namespace with it, in one kernel step), reaps them and writes one JSON status line to
STATUS_FD, a pipe the run never holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import sys
import time
from pathlib import Path
from typing import Any

from grader.sandbox import files, inside, linux
from grader.sandbox import namespaces as ns
from grader.sandbox.policy import FRESH_UID, NAMESPACES, WATCH_INTERVAL, Plan

_stop: list[int] = []  # the signal that asked the keeper to stop, once one has


def _on_stop(signum: int, _frame: Any) -> None:
    _stop.append(signum)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isdigit():
        raise SystemExit("usage: python -I -m grader.sandbox.keeper STATUS_FD  (the plan on stdin)")
    status_fd = int(argv[0])
    grader = os.getppid()
    signal.signal(signal.SIGTERM, _on_stop)
    linux.die_with_parent(signal.SIGTERM)  # a grader killed mid-run still gets its clean-up
    if os.getppid() != grader:
        _on_stop(signal.SIGTERM, None)
    try:
        plan = Plan.from_json(sys.stdin.buffer.read())
    except (ValueError, TypeError):  # the grader died before it sent the plan
        return 70
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    status: dict[str, Any] = {"subreaper": linux.set_subreaper(), "isolation": plan.isolation}
    if plan.isolation == NAMESPACES:
        try:
            _enter_namespaces()
        except OSError as exc:
            status.update(problem=f"the run's namespaces could not be made ({exc})", returncode=71)
            return _finish(status, status_fd, grader, plan)
    # The key travels in a list the sandboxed process empties, so no frame on its stack holds it.
    secret, plan.key = [plan.key], ""
    report_read, report_write = os.pipe()
    keeper = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(report_read)
        os.close(status_fd)
        if plan.isolation == NAMESPACES:
            inside.init(plan, secret, report_write, keeper)
        os.close(report_write)
        inside.run_entry(plan, secret, keeper)
    os.close(report_write)
    secret.clear()
    if os.geteuid() == 0 and plan.uid is None and plan.isolation != NAMESPACES:
        # Root is exempt from RLIMIT_NPROC: only the keeper's watch stops a fork bomb, and it must
        # not starve among thousands of processes. It sleeps between looks, so real-time is safe.
        with contextlib.suppress(OSError, AttributeError):
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
    status.update(_supervise(pid, plan))
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the clean-up must run to its end
    status["killed"] = _sweep(plan, pid)
    status.update(_inner_report(report_read, status))
    return _finish(status, status_fd, grader, plan)


def _enter_namespaces() -> None:
    """The run's PID (for its children), network and IPC namespaces; without root, first a user
    namespace in which only our own uid and gid exist."""
    uid, gid, root = os.getuid(), os.getgid(), os.geteuid() == 0
    ns.unshare(ns.CLONE_NEWPID | ns.CLONE_NEWNET | ns.CLONE_NEWIPC | (0 if root else ns.CLONE_NEWUSER))
    if not root:
        ns.map_own_ids(uid, gid)
    ns.loopback_up()


def _inner_report(fd: int, status: dict[str, Any]) -> dict[str, Any]:
    """With NAMESPACES, the init's word on the sandboxed process (exit, CPU, memory, processes it
    left); nothing when the init was killed first (a limit or the watchdog)."""
    data = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(fd, 4096):
            data += chunk
    os.close(fd)
    try:
        report = json.loads(data) if data else {}
    except ValueError:
        return {}
    if not isinstance(report, dict):
        return {}
    return {"returncode": report.get("returncode", status.get("returncode")),
            "cpu": report.get("cpu", 0.0), "max_rss": report.get("max_rss", 0),
            "killed": int(status.get("killed", 0)) + int(report.get("left", 0))}


def _finish(status: dict[str, Any], status_fd: int, grader: int, plan: Plan) -> int:
    if os.getppid() != grader:  # nobody is left to read the status or delete the scratch folder
        files.remove_tree(Path(plan.scratch))
        return 0
    with contextlib.suppress(OSError), os.fdopen(status_fd, "w") as out:
        out.write(json.dumps(status) + "\n")
    return 0


# -- watching and cleaning up ------------------------------------------------------------------------

def _supervise(pid: int, plan: Plan) -> dict[str, Any]:
    """Wait for the test process, reaping orphans; stop it early on a limit or on SIGTERM (from the
    grader's watchdog, or sent by the kernel when the grader itself died)."""
    waiter = _pidfd(pid)
    result: dict[str, Any] = {"stopped_for": ""}
    while "wait_status" not in result:
        if waiter is not None:
            select.select([waiter], [], [], WATCH_INTERVAL)
        else:
            time.sleep(WATCH_INTERVAL)
        _collect(pid, result)
        if "wait_status" in result:
            break
        problem = "watchdog" if _stop else _over_limits(plan)
        if problem:
            result["stopped_for"] = problem
            linux.kill([pid])
            _, wait_status, usage = os.wait4(pid, 0)
            result.update(_describe(wait_status, usage))
    return result


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):  # before Linux 5.3, or not Linux: poll instead
        return None


def _collect(pid: int, result: dict[str, Any]) -> None:
    for done, wait_status, usage in linux.reap():
        if done == pid:
            result.update(_describe(wait_status, usage))


def _describe(wait_status: int, usage: Any) -> dict[str, Any]:
    return {"wait_status": wait_status, "returncode": os.waitstatus_to_exitcode(wait_status),
            "cpu": round(usage.ru_utime + usage.ru_stime, 3), "max_rss": usage.ru_maxrss * 1024}


def _over_limits(plan: Plan) -> str:
    mine = _tree(plan)
    tasks = sum(p.threads for p in mine)
    if tasks > plan.processes:
        return f"the solution started {tasks} processes and threads (the limit is {plan.processes})"
    memory = sum(p.rss for p in mine)  # counts shared pages once per process: an upper bound
    if memory > plan.tree_memory:
        memory = sum(linux.proportional_memory(p.pid) for p in mine)  # slower, but fair to forks
    if memory > plan.tree_memory:
        return (f"the solution's processes used {memory / 2**20:.0f} MB of memory together (the limit is "
                f"{plan.tree_memory / 2**20:.0f} MB)")
    used, too_deep = files.disk_use([Path(plan.scratch)], plan.uid if plan.isolation == FRESH_UID else None)
    if too_deep:
        return (f"the solution nested folders more than {files.DEPTH_LIMIT} levels deep (the limit is "
                f"{files.DEPTH_LIMIT})")
    if used > plan.disk:
        return f"the solution wrote {used / 2**20:.0f} MB of files (the limit is {plan.disk / 2**20:.0f} MB)"
    return ""


def _tree(plan: Plan) -> list[linux.Proc]:
    procs = linux.processes()
    if plan.uid is not None:
        return [p for p in procs if p.uid == plan.uid and not p.zombie]
    return [p for p in linux.descendants(os.getpid(), procs) if not p.zombie]


def _sweep(plan: Plan, first: int) -> int:
    """Kill every process the run left, until none is left; returns how many were found.

    With NAMESPACES there is nothing to look for: the run's init (first) has been reaped, and the
    kernel kills and reaps every process of a PID namespace before its init can be (the init's
    report counts what it left)."""
    if plan.isolation == NAMESPACES:
        return 0
    found: set[int] = set()
    for _ in range(100):
        left = [p for p in _tree(plan) if p.pid != first]
        if not left:
            break
        found.update(p.pid for p in left)
        if plan.isolation == FRESH_UID and plan.uid is not None and plan.gid is not None:
            linux.kill_uid(plan.uid, plan.gid)
        else:
            _freeze_then_kill(plan, found)
        linux.reap()
    for _ in range(50):  # zombies re-parented to us: reap until none is left
        if not any(p.zombie for p in linux.descendants(os.getpid(), linux.processes())):
            break
        linux.reap()
        time.sleep(0.01)
    return len(found)


def _freeze_then_kill(plan: Plan, found: set[int]) -> None:
    """Stop every process first (a stopped process cannot fork), then kill them all: killing a
    fork bomb one by one would race its new children."""
    frozen: set[int] = set()
    for _ in range(100):
        fresh = [p.pid for p in _tree(plan) if p.pid not in frozen]
        if not fresh:
            break
        linux.signal_all(fresh, signal.SIGSTOP)
        frozen.update(fresh)
    found.update(frozen)
    linux.kill(frozen)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
