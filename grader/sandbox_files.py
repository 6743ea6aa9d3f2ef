"""The sandbox's files: each run's scratch folder, what a run leaves in the temporary folders, and
how much disk a run uses.

The scratch folder holds the pristine tests and the solution (read-only for a sandbox uid) and one
writable folder, `home` (HOME, TMPDIR and the results file). It records which grader made it, so a
folder whose grader was killed before it could delete it is removed by the next batch.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

TEMP_ROOTS = ("/tmp", "/var/tmp", "/dev/shm")  # where any user may create files

SCRATCH_PREFIX = "grader-"
OWNER_FILE = ".owner"  # "<pid> <start time>" of the grader that made the scratch folder


def make_scratch() -> str:
    path = tempfile.mkdtemp(prefix=SCRATCH_PREFIX)
    os.chmod(path, 0o755)  # pytest lists the folders above the tests; nothing in it is secret
    Path(path, OWNER_FILE).write_text(_identity(os.getpid()), encoding="utf-8")
    return path


def _identity(pid: int) -> str:
    """pid and its start time: a pid the kernel reused is not the same process."""
    try:
        started = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        started = "?"
    return f"{pid} {started}"


def remove_stale_scratch() -> list[str]:
    """Delete scratch folders whose grader died before it could (killed between two steps)."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        try:
            owner = (folder / OWNER_FILE).read_text(encoding="utf-8")
        except OSError:
            continue
        pid = owner.split()[0]
        if pid.isdigit() and _identity(int(pid)) != owner:
            remove_scratch(folder)
            removed.append(str(folder))
    return removed


def prepare_home(scratch: Path, uid: int | None, gid: int | None) -> Path:
    """The one folder the tests may write: HOME, TMPDIR and the results file."""
    home = scratch / "home"
    home.mkdir(mode=0o700)
    if uid is not None and gid is not None:
        os.chown(home, uid, gid)
    return home


def remove_scratch(scratch: Path) -> None:
    """Delete the scratch folder, even where the solution removed our permissions."""
    def allow(_function: Any, path: str, _exc: Any) -> None:
        try:
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
            (shutil.rmtree if os.path.isdir(path) else os.unlink)(path)
        except OSError:
            pass

    shutil.rmtree(scratch, onerror=allow)


def _temp_entries_of(uid: int) -> list[Path]:
    """What uid owns at the top of the temporary folders, and one level into the world-writable
    folders found there (/tmp/.X11-unix and the like)."""
    found, roots = [], [Path(r) for r in TEMP_ROOTS]
    for depth in (0, 1):
        deeper = []
        for root in roots:
            try:
                entries = list(os.scandir(root))
            except OSError:
                continue
            for entry in entries:
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if info.st_uid == uid:
                    found.append(Path(entry.path))
                elif depth == 0 and entry.is_dir(follow_symlinks=False) and info.st_mode & 0o002:
                    deeper.append(Path(entry.path))
        roots = deeper
    return found


def remove_files_of(uid: int) -> list[str]:
    """Delete what uid left in the temporary folders; returns what was removed."""
    removed = []
    for path in _temp_entries_of(uid):
        try:
            if path.is_dir() and not path.is_symlink():
                remove_scratch(path)
            else:
                path.unlink()
            removed.append(str(path))
        except OSError:
            continue
    return removed


def disk_use(paths: list[Path], uid: int | None) -> int:
    """Bytes allocated below paths, plus (for a sandbox uid) what it owns in the temp folders."""
    roots = list(paths) + (_temp_entries_of(uid) if uid is not None else [])
    total = 0
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            for name in filenames + dirnames:
                try:
                    total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
                except OSError:
                    continue
        try:
            total += os.lstat(root).st_blocks * 512 if root.is_file() else 0
        except OSError:
            continue
    return total
