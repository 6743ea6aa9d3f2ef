"""What runs inside the sandbox: the run's init (pid 1 of its PID namespace) and the sandboxed
process that calls the plan's entry.

Imports policy, linux, namespaces, relay, rootfs, signing and grader.settings; keeper.py forks into these
functions, which never return (os._exit). The init builds the run's file system (rootfs.py), forks the
sandboxed process and reaps every orphan of the namespace; when the sandboxed process ends, it
reports that process's exit and usage on a pipe and exits, and the kernel then kills whatever is
left in the namespace. With a relay in the plan, the init also answers the witness's requests for
sockets in the run's network namespace (relay.py), from a thread. The sandboxed process gives up
its privileges (a fresh uid as root; every capability in a user namespace), limits itself, and
calls `main(args)` of the plan's entry module.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import resource
import signal
import sys
import traceback
from typing import NoReturn

from grader import settings
from grader.sandbox import linux, relay, rootfs, signing
from grader.sandbox import namespaces as ns
from grader.sandbox.policy import NAMESPACES, Plan

ROOT_FOLDER = ".root"  # in the scratch folder: where the run's root is assembled


def init(plan: Plan, secret: list[str], report: int, keeper: int) -> NoReturn:
    """pid 1 of the run's PID namespace (its mount namespace is made here)."""
    code = 71
    try:
        linux.die_with_parent(signal.SIGKILL)  # the keeper gone, the whole namespace goes
        # Our parent is outside our PID namespace (getppid() says 0); the host's /proc still shows.
        if not os.path.exists(f"/proc/{keeper}/status"):
            os._exit(code)
        ns.unshare(ns.CLONE_NEWNS)
        new_root = os.path.join(plan.scratch, ROOT_FOLDER)
        os.mkdir(new_root, 0o700)
        rootfs.build(new_root, [*rootfs.interpreter_paths(plan.entry), *plan.readable], plan.writable,
                     plan.hide, plan.disk)
        linux.set_dumpable(False)  # nothing in the run may ptrace its init
        # Bound before the run's process exists; the witness dials it before any learner code loads.
        control = relay.open_control(plan.relay) if plan.relay else None
        me = os.getpid()
        pid = os.fork()
        if pid == 0:
            os.close(report)
            if control is not None:
                control.close()
            run_entry(plan, secret, me)
        secret.clear()
        if control is not None:
            relay.start(control, plan.relay)  # a thread: it ends with the init
        while True:
            done, wait_status, usage = os.wait4(-1, 0)
            if done == pid:
                break
        left = sum(1 for name in os.listdir("/proc") if name.isdigit() and int(name) != me)
        os.write(report, json.dumps({
            "returncode": os.waitstatus_to_exitcode(wait_status), "left": left,
            "cpu": round(usage.ru_utime + usage.ru_stime, 3), "max_rss": usage.ru_maxrss * 1024,
        }).encode())
        code = 0
    except BaseException as exc:
        sys.stderr.write(f"grader: the run's sandbox could not be set up ({exc})\n")
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os._exit(code)


def run_entry(plan: Plan, secret: list[str], parent: int) -> NoReturn:
    """The sandboxed process: drop privileges, limit, call the entry; never returns."""
    code = 70
    try:
        if plan.uid is not None and plan.gid is not None:
            os.setgroups([])
            os.setgid(plan.gid)
            os.setuid(plan.uid)
        if plan.isolation == NAMESPACES:
            ns.drop_capabilities()
            # A witness outside the run (the grader's own user) may read our /proc/<pid> files.
            linux.set_dumpable(plan.uid is None)
        linux.die_with_parent(signal.SIGKILL)  # after setuid: changing credentials clears it
        if os.getppid() != parent:
            os._exit(code)
        limit(plan)
        os.chdir(plan.work)
        # A grader started in the background (`cmd &` in a script) inherits SIGINT ignored, and
        # Python then never raises KeyboardInterrupt; every run gets the same, usual handler.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        entry = importlib.import_module(plan.entry)
        sys.argv = [plan.entry, *plan.args]  # what the entry would see as a program of its own
        signing.hand_over(secret.pop())
        code = int(entry.main(list(plan.args)))
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)  # never back into the keeper's code; the solution's atexit hooks never run


def limit(plan: Plan) -> None:
    """Limits for this process and everything it starts (RLIMIT_NPROC counts the uid's tasks)."""
    limits = [(resource.RLIMIT_CPU, plan.cpu_seconds),
              (resource.RLIMIT_AS, plan.memory or settings.MEMORY_LIMIT),
              (resource.RLIMIT_FSIZE, plan.file_size or settings.FILE_SIZE_LIMIT),
              (resource.RLIMIT_NOFILE, plan.open_files or settings.OPEN_FILES_LIMIT),
              (resource.RLIMIT_CORE, 0)]
    if linux.LINUX:  # where the tasks the user already has can be counted
        # As the grader's own user, leave room for the tasks that user already has (in its own
        # PID namespace a run sees only its own).
        mine = 0 if plan.uid is not None else sum(p.threads for p in linux.processes()
                                                   if p.uid == os.getuid())
        limits.append((resource.RLIMIT_NPROC, plan.processes + mine))
    for kind, value in limits:
        _soft, hard = resource.getrlimit(kind)
        wanted = value if hard == resource.RLIM_INFINITY else min(value, hard)
        with contextlib.suppress(ValueError, OSError):  # some platforms refuse one (macOS: AS)
            resource.setrlimit(kind, (wanted, wanted))
