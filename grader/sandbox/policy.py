"""The sandbox's policy: what one run is told (the Plan), its limits, and who it runs as.

Imports linux.py only (every other sandbox module may import this one). Three isolation levels, of
which mode.py picks the strongest the machine allows:

- NAMESPACES: the run gets its own PID, mount, IPC and network namespaces (and, without root, its
  own user namespace) and an allow-list view of the file system (rootfs.py). As root the tests also
  run as a fresh, unused uid; without root they run as the grader's user, with no capabilities.
- FRESH_UID: root, but namespaces are refused (a locked-down container): a fresh uid only.
- WEAK: the grader's own user, no namespaces: processes are contained, resources limited, evidence
  checked, but a solution can read, write and signal whatever that user can.
docs/grading-a-class.md says what each level stops.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grader.sandbox import linux

NAMESPACES, FRESH_UID, WEAK = "namespaces", "fresh-uid", "weak"
TAG_VARIABLE = "GRADER_RUN_TAG"
PYTEST_ENTRY = "grader.sandbox.pytest_entry"  # the default thing a run runs: the kit's tests
PROCESS_LIMIT = 64 + 4 * (os.cpu_count() or 2)  # tasks (threads count too) the tests may have
TREE_MEMORY_LIMIT = 2 * 1024**3   # resident bytes of all the run's processes together
DISK_LIMIT = 256 * 1024**2        # bytes of files the run may leave in its folders (and each tmpfs)
WATCH_INTERVAL = 0.2              # seconds between two looks at the tree's resources
_UID_WINDOW = (1_900_000_000, 2_000_000_000)   # far above any real account; below 2**31


@dataclass
class Plan:
    """What the keeper is told, as JSON on its stdin.

    entry is a module whose `main(argv) -> int` runs in the sandboxed process, with args, once its
    privileges are dropped and its limits applied. readable paths are shown read-only, writable
    ones read-write (a folder holding a Unix socket to connect to, for instance); with NAMESPACES
    nothing else of the file system is visible but the interpreter and the system libraries.
    relay, with NAMESPACES, is where the run's init offers the witness sockets made inside the
    run's network namespace (relay.py); empty for none.
    """

    work: str
    scratch: str
    tag: str
    key: str
    cpu_seconds: int
    isolation: str = WEAK
    entry: str = PYTEST_ENTRY
    args: list[str] = field(default_factory=list)
    readable: list[str] = field(default_factory=list)
    writable: list[str] = field(default_factory=list)
    uid: int | None = None
    gid: int | None = None
    hide: list[str] = field(default_factory=list)
    relay: str = ""
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
