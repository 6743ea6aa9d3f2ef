"""The keeper: the process between the grader and a solution's tests.

    python -I -m grader.child STATUS_FD -- PYTEST_ARGS...      (the sandbox Plan as JSON on stdin)

It makes itself a child subreaper (so nothing the tests start can leave its tree), hides paths in a
private mount namespace when it may, then forks the test process. That process drops to the plan's
uid (when the grader is root), limits itself and runs pytest. The keeper watches the tree's memory,
process count and disk use, and when the tests end (or the grader sends SIGTERM) kills every process
left, reaps them and writes one JSON status line to STATUS_FD, a pipe the tests never hold.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, NoReturn

from grader import sandbox, sandbox_files, settings
from grader import sandbox_linux as linux

_stop: list[int] = []  # the signal that asked the keeper to stop, once one has


def _on_stop(signum: int, _frame: Any) -> None:
    _stop.append(signum)


def main(argv: list[str]) -> int:
    status_fd, separator, *pytest_args = argv
    if separator != "--":
        raise SystemExit("usage: python -I -m grader.child STATUS_FD -- PYTEST_ARGS...")
    grader = os.getppid()
    signal.signal(signal.SIGTERM, _on_stop)
    linux.die_with_parent(signal.SIGTERM)  # a grader killed mid-run still gets its clean-up
    if os.getppid() != grader:
        _on_stop(signal.SIGTERM, None)
    try:
        plan = sandbox.Plan.from_json(sys.stdin.buffer.read())
    except (ValueError, TypeError):  # the grader died before it sent the plan
        return 70
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    status: dict[str, Any] = {"subreaper": linux.set_subreaper(), "exposed": [], "hidden": [],
                              "loopback_only": plan.uid is not None and linux.private_network()}
    if plan.uid is not None and linux.private_mounts():
        needed = [*_needed(), Path(plan.scratch)]
        status["exposed"] = linux.expose(needed)
        # A folder holding what the tests need (the kit inside the class folder?) stays visible.
        status["hidden"] = linux.hide_paths(Path(p) for p in plan.hide
                                            if not any(n.is_relative_to(p) for n in needed))
    # The key travels in a list the test process empties, so no frame on its stack holds it.
    secret, plan.key = [plan.key], ""
    keeper = os.getpid()
    pid = os.fork()
    if pid == 0:
        _run_tests(plan, secret, pytest_args, int(status_fd), keeper)
    secret.clear()
    if os.geteuid() == 0 and plan.uid is None:
        # Root is exempt from RLIMIT_NPROC: only the keeper's watch stops a fork bomb, and it must
        # not starve among thousands of processes. It sleeps between looks, so real-time is safe.
        with contextlib.suppress(OSError, AttributeError):
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
    status.update(_supervise(pid, plan))
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the clean-up must run to its end
    status["killed"] = _sweep(plan)
    if os.getppid() != grader:  # nobody is left to read the status or delete the scratch folder
        sandbox_files.remove_scratch(Path(plan.scratch))
        return 0
    with contextlib.suppress(OSError), os.fdopen(int(status_fd), "w") as out:
        out.write(json.dumps(status) + "\n")
    return 0


def _needed() -> list[Path]:
    """What the tests must be able to read: the interpreter, its libraries and the kit's packages."""
    found = [sys.base_prefix, sys.prefix, sys.exec_prefix, os.path.dirname(sys.executable),
             *(p for p in sys.path if p)]
    for name in ("grader", "pytest", "_pytest", "pluggy", "pytest_asyncio", "pytest_timeout"):
        spec = importlib.util.find_spec(name)
        if spec is not None:
            found += list(spec.submodule_search_locations or [os.path.dirname(spec.origin or "")])
    return [Path(p) for p in found if p and os.path.exists(p)]


# -- the test process --------------------------------------------------------------------------------

def _run_tests(plan: sandbox.Plan, secret: list[str], args: list[str], status_fd: int,
               keeper: int) -> NoReturn:
    code = 70
    try:
        os.close(status_fd)
        if plan.uid is not None and plan.gid is not None:
            os.setgroups([])
            os.setgid(plan.gid)
            os.setuid(plan.uid)
        linux.die_with_parent(signal.SIGKILL)  # after setuid: changing credentials clears it
        if os.getppid() != keeper:
            os._exit(code)
        limit(plan)
        os.chdir(plan.work)
        # A grader started in the background (`cmd &` in a script) inherits SIGINT ignored, and
        # Python then never raises KeyboardInterrupt; every test run gets the same, usual handler.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if args[:1] == ["--executor"]:  # the learner's side of a witnessed run: no key needed
            secret.clear()
            from grader.witness import executor

            code = executor.main(args[1:])
        else:
            import pytest

            sign = sandbox.signer(secret.pop())
            code = int(pytest.main(args, plugins=[_signing(sign)]))
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)  # never back into the keeper's code; the solution's atexit hooks never run


def _signing(sign: Any) -> object:
    """A plugin handing the results signer to the kit's plugin once pytest has loaded it (importing
    the plugin earlier would keep pytest from rewriting its asserts), before its first write."""
    import pytest

    class Signing:
        @pytest.hookimpl(tryfirst=True)
        def pytest_configure(self, config: pytest.Config) -> None:
            from grader import pytest_plugin

            pytest_plugin.sign_results(sign)

    return Signing()


def limit(plan: sandbox.Plan) -> None:
    """Limits for this process and everything it starts (RLIMIT_NPROC counts the uid's tasks)."""
    limits = [(resource.RLIMIT_CPU, plan.cpu_seconds),
              (resource.RLIMIT_AS, plan.memory or settings.MEMORY_LIMIT),
              (resource.RLIMIT_FSIZE, plan.file_size or settings.FILE_SIZE_LIMIT),
              (resource.RLIMIT_NOFILE, plan.open_files or settings.OPEN_FILES_LIMIT),
              (resource.RLIMIT_CORE, 0)]
    if linux.LINUX:  # where the tasks the user already has can be counted
        # As the grader's own user, leave room for the tasks that user already has.
        mine = 0 if plan.uid is not None else sum(p.threads for p in linux.processes()
                                                   if p.uid == os.getuid())
        limits.append((resource.RLIMIT_NPROC, plan.processes + mine))
    for kind, value in limits:
        _soft, hard = resource.getrlimit(kind)
        wanted = value if hard == resource.RLIM_INFINITY else min(value, hard)
        with contextlib.suppress(ValueError, OSError):  # some platforms refuse one (macOS: AS)
            resource.setrlimit(kind, (wanted, wanted))


# -- watching and cleaning up ------------------------------------------------------------------------

def _supervise(pid: int, plan: sandbox.Plan) -> dict[str, Any]:
    """Wait for the test process, reaping orphans; stop it early on a limit or on SIGTERM (from the
    grader's watchdog, or sent by the kernel when the grader itself died)."""
    waiter = _pidfd(pid)
    result: dict[str, Any] = {"stopped_for": ""}
    while "wait_status" not in result:
        if waiter is not None:
            select.select([waiter], [], [], sandbox.WATCH_INTERVAL)
        else:
            time.sleep(sandbox.WATCH_INTERVAL)
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


def _over_limits(plan: sandbox.Plan) -> str:
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
    used = sandbox_files.disk_use([Path(plan.scratch)], plan.uid)
    if used > plan.disk:
        return f"the solution wrote {used / 2**20:.0f} MB of files (the limit is {plan.disk / 2**20:.0f} MB)"
    return ""


def _tree(plan: sandbox.Plan) -> list[linux.Proc]:
    procs = linux.processes()
    if plan.uid is not None:
        return [p for p in procs if p.uid == plan.uid and not p.zombie]
    return [p for p in linux.descendants(os.getpid(), procs) if not p.zombie]


def _sweep(plan: sandbox.Plan) -> int:
    """Kill every process the run left, until none is left; returns how many were found."""
    found: set[int] = set()
    for _ in range(100):
        left = _tree(plan)
        if not left:
            break
        found.update(p.pid for p in left)
        if plan.uid is not None and plan.gid is not None:
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


def _freeze_then_kill(plan: sandbox.Plan, found: set[int]) -> None:
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
