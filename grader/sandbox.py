"""The sandbox a solution's tests run in: who they run as, what they see, and what is cleaned up.

Layers, each applied where the platform allows (`describe()` says which are in force):

- Always: the tests run in a grandchild of the grader, below a *keeper* process (grader/child.py)
  that is a child subreaper, so every process the solution starts (double forks and `setsid`
  daemons included) stays in its tree and is killed when the run ends. Resource limits (CPU seconds,
  address space, file size, open files, no core dumps, processes), a watch on the whole tree's
  memory, process count and disk use, a scrubbed environment carrying a per-run tag, and a per-run
  key that signs the results file.
- When the grader runs as root: the tests run as a fresh, unused uid/gid chosen per run. They then
  cannot signal the grader, the keeper or another run, cannot write the kit or the scratch folder's
  pristine files, RLIMIT_NPROC is enforced, every process of that uid is killed in one kernel pass
  at the end, and every file it left in world-writable folders is deleted.
- As root with namespaces (CAP_SYS_ADMIN): the paths the solution must not read (the kit's
  solutions/, tests/ and .git, a batch's class and output folders) are covered by empty mounts, and
  the network is only a loopback interface.

Without root, the solution runs as the grader's own user: it can read and write whatever that user
can, and could signal the grader. The grader then still contains processes, limits resources, keeps
using the test file it read first and flags a changed kit, but that is tamper evidence, not proof.

This module holds the policy (limits, who the tests run as); grader/child.py is the keeper,
grader/sandbox_launch.py the parent's side, grader/sandbox_files.py the scratch folder,
grader/sandbox_signing.py the results signature and grader/sandbox_linux.py the Linux calls.
docs/grading-a-class.md says what each layer stops.
"""

from __future__ import annotations

import functools
import grp
import json
import os
import pwd
import random
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grader import sandbox_linux as linux
from grader.sandbox_signing import canonical, new_key, signed_by, signer

__all__ = ["Plan", "canonical", "describe", "drop_privileges", "fresh_identity", "new_key", "signed_by",
           "signer"]

TAG_VARIABLE = "GRADER_RUN_TAG"
SWITCH_VARIABLE = "GRADER_SANDBOX_USER"   # "off": never drop privileges, even as root
PROCESS_LIMIT = 64 + 4 * (os.cpu_count() or 2)  # tasks (threads count too) the tests may have
TREE_MEMORY_LIMIT = 2 * 1024**3   # resident bytes of all the run's processes together
DISK_LIMIT = 256 * 1024**2        # bytes of files the run may leave in scratch and temp folders
WATCH_INTERVAL = 0.2              # seconds between two looks at the tree's resources
_UID_WINDOW = (1_900_000_000, 2_000_000_000)   # far above any real account; below 2**31


@dataclass
class Plan:
    """What the keeper is told, as JSON on its stdin."""

    work: str
    scratch: str
    tag: str
    key: str
    cpu_seconds: int
    uid: int | None = None
    gid: int | None = None
    hide: list[str] = field(default_factory=list)
    memory: int = 0
    file_size: int = 0
    open_files: int = 0
    processes: int = PROCESS_LIMIT
    tree_memory: int = TREE_MEMORY_LIMIT
    disk: int = DISK_LIMIT

    def to_json(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Plan:
        return cls(**json.loads(data))


# -- who the tests run as -------------------------------------------------------------------------

def fresh_identity() -> tuple[int, int]:
    """An uid/gid no account, group or running process uses, inside this namespace's id map."""
    low, high = _window(Path("/proc/self/uid_map"))
    in_use = {p.uid for p in linux.processes()}
    for _ in range(100):
        uid = random.randrange(low, high)
        if uid not in in_use and not _known(pwd.getpwuid, uid) and not _known(grp.getgrgid, uid):
            return uid, uid if _window(Path("/proc/self/gid_map"), uid) else 65534
    raise RuntimeError("no free uid found for the sandbox")


def _window(id_map: Path, probe: int | None = None) -> tuple[int, int]:
    """The uid window to draw from: ours if mapped, else the top half of the largest mapped range."""
    ranges = []
    try:
        for line in id_map.read_text().splitlines():
            inside, _outside, count = (int(x) for x in line.split())
            ranges.append((inside, inside + count))
    except (OSError, ValueError):
        ranges = [(0, 2**32 - 1)]
    if probe is not None:
        return (probe, probe + 1) if any(a <= probe < b for a, b in ranges) else (0, 0)
    for a, b in ranges:
        if a <= _UID_WINDOW[0] and _UID_WINDOW[1] <= b:
            return _UID_WINDOW
    a, b = max(ranges, key=lambda r: r[1] - r[0])
    return max(a, (a + b) // 2, 10_000), b - 1


def _known(lookup: Any, number: int) -> bool:
    try:
        lookup(number)
    except KeyError:
        return False
    return True


def drop_privileges(wanted: bool | None = None) -> bool:
    """True when runs should use a fresh uid: root, not switched off, and it really works here."""
    if wanted is False or not linux.LINUX or os.geteuid() != 0:
        return False
    if wanted is None and os.environ.get(SWITCH_VARIABLE, "").lower() == "off":
        return False
    return _probe() == ""


@functools.lru_cache(maxsize=1)
def _probe() -> str:
    """Why a fresh uid cannot run the tests here ('' when it can); said once on stderr."""
    from grader.sandbox_launch import probe

    try:
        problem, _status = probe()
    except (OSError, RuntimeError) as exc:
        problem = str(exc)
    if problem:
        sys.stderr.write(f"grader: running as root, but the tests cannot run as an unprivileged user "
                         f"here ({problem}); they run as root, with fewer protections.\n")
    return problem


def describe(drop: bool | None = None) -> dict[str, Any]:
    """Which protections are in force (for reports and the docs)."""
    isolated = drop_privileges(drop)
    status: dict[str, Any] = {}
    if isolated:
        from grader.sandbox_launch import probe

        status = probe()[1]
    return {"user": "a fresh uid per run" if isolated else "the grader's own user",
            "hides_kit_secrets": bool(status.get("hidden")),
            "network": "loopback only" if status.get("loopback_only") else "open",
            "process_limit": PROCESS_LIMIT,
            "tree_memory_limit": TREE_MEMORY_LIMIT, "disk_limit": DISK_LIMIT}
