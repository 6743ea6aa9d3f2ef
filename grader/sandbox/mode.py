"""Which isolation this machine allows, decided once per grader process, and saying so plainly.

Imports policy, files and parent (the decision is one throwaway run through the real keeper, of
ready.py) and grader.forkserver (below NAMESPACES, runs leave a server kept between commands; a
check keeping one skips the probe once an earlier check's found namespaces, noted beside it). The
strongest level that works wins: NAMESPACES (root, or any user where the kernel allows unprivileged
user namespaces), then FRESH_UID (root in a container that refuses namespaces), then
WEAK. GRADER_ISOLATION=weak forces WEAK, as if namespaces were unavailable: to see (and test) what a
machine without them does. Commands that grade other people's code call say_once(): anything below
NAMESPACES is then said once on stderr (a learner checking their own code is not warned).
"""

from __future__ import annotations

import functools
import os
import secrets
import sys
import threading
from dataclasses import dataclass
from typing import Any

from grader import forkserver
from grader.sandbox import files, parent, policy
from grader.sandbox.policy import FRESH_UID, NAMESPACES, WEAK

READY_ENTRY = "grader.sandbox.ready"
SWITCH_VARIABLE = "GRADER_ISOLATION"
SWITCH_WEAK = "weak"


@dataclass(frozen=True)
class Isolation:
    level: str      # policy.NAMESPACES, FRESH_UID or WEAK
    reason: str     # why nothing stronger is in force ('' for NAMESPACES)

    @property
    def strong(self) -> bool:
        return self.level == NAMESPACES


_probing = threading.Lock()  # a caller arriving while the probe runs waits for its answer


def isolation() -> Isolation:
    """The strongest level that really works here (probed once per process)."""
    with _probing:
        return _strongest()


def probe_soon() -> None:
    """Start probing now, on a thread (the `grader` command calls this before importing its CLI):
    the probe's request then waits at the warm server and runs the moment its imports are done."""
    threading.Thread(target=isolation, name="grader-probe", daemon=True).start()


@functools.lru_cache(maxsize=1)
def _strongest() -> Isolation:
    forced = os.environ.get(SWITCH_VARIABLE, "").lower() == SWITCH_WEAK
    if forced:
        found = Isolation(WEAK, f"{SWITCH_VARIABLE}={SWITCH_WEAK} is set")
    elif not sys.platform.startswith("linux"):
        found = Isolation(WEAK, "namespaces exist only on Linux")
    elif forkserver.probed_namespaces():
        found = Isolation(NAMESPACES, "")
    elif not (problem := _probe(NAMESPACES)):
        found = Isolation(NAMESPACES, "")
        forkserver.note_namespaces()
    elif os.geteuid() == 0 and not _probe(FRESH_UID):
        found = Isolation(FRESH_UID, problem)
    else:
        found = Isolation(WEAK, problem)
    if found.level != NAMESPACES:  # a run's orphans must come to this grader's sweep
        forkserver.unkeep(for_good=not forced)  # forced: this command's choice, not the machine's
    return found


@functools.lru_cache(maxsize=1)
def say_once() -> Isolation:
    """isolation(), saying on stderr (once per process) when it is not NAMESPACES."""
    found = isolation()
    if not found.strong:
        sys.stderr.write(warning(found) + "\n")
    return found


def level_for(drop_privileges: bool | None = None) -> str:
    """The level a run gets: the machine's, or WEAK when the caller asks for the grader's own user."""
    return WEAK if drop_privileges is False else isolation().level


def warning(found: Isolation) -> str:
    what = {FRESH_UID: "each run gets a fresh user id, but shares the machine's file system, network "
                       "and System V IPC: a submission can read what every user may read (another "
                       "copy of the kit, perhaps)",
            WEAK: "each run is your own user: a submission can read and change your files (the "
                  "kit's reference solutions included), reach the network and signal your "
                  "processes"}[found.level]
    return (f"grader: the tests cannot run in namespaces of their own here ({found.reason}); {what}. "
            f"Expected: a Linux kernel allowing unprivileged user namespaces (or root). Next step: "
            f"grade untrusted code on such a machine; `grader batch` refuses without "
            f"--allow-weak-isolation (docs/grading-a-class.md).")


def _probe(level: str) -> str:
    """Why a run at level cannot work here ('' when it can): one throwaway run through the real
    keeper that imports what the executor imports (ready.py)."""
    uid, gid = policy.fresh_identity() if os.geteuid() == 0 else (None, None)
    scratch = files.make_scratch(gid)
    try:
        home = files.prepare_home(scratch, uid, gid)
        plan = policy.Plan(work=str(scratch), scratch=str(scratch), tag=secrets.token_hex(12),
                           key=secrets.token_hex(32), cpu_seconds=60, isolation=level,
                           entry=READY_ENTRY, writable=[str(home)], uid=uid, gid=gid)
        record = parent.launch(plan, 60.0, home)  # forked warm, as the runs will be
    except (OSError, RuntimeError) as exc:
        return str(exc)
    finally:
        files.remove_tree(scratch)
    if record["returncode"] == 0:
        return ""
    lines = [line for line in record["output"].strip().splitlines() if line.strip()]
    return (lines[-1].strip("[]").removeprefix("grader: ") if lines
            else f"exit status {record['returncode']}")


def describe(drop_privileges: bool | None = None) -> dict[str, Any]:
    """Which protections are in force (for reports and the docs)."""
    level = level_for(drop_privileges)
    root = os.geteuid() == 0
    user = ("a fresh uid per run" if level != WEAK and root else "the grader's own user, without "
            "capabilities, in a user namespace of its own" if level == NAMESPACES else
            "the grader's own user")
    return {"isolation": level, "user": user,
            "hides_kit_secrets": level == NAMESPACES, "network": "loopback only"
            if level == NAMESPACES else "open", "signals_reach_grader": level == WEAK,
            "process_limit": policy.PROCESS_LIMIT, "tree_memory_limit": policy.TREE_MEMORY_LIMIT,
            "disk_limit": policy.DISK_LIMIT}
