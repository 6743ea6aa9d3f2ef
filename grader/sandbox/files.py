"""The sandbox's files: each run's scratch folder, deleting trees, and how much disk a run uses.

Standard library only; imports nothing from the kit. The scratch folder holds the pristine tests and
the solution and one writable folder, `home` (HOME, TMPDIR and the results file). It is readable by
the grader's user alone (and, for a run with a fresh uid, by that run's group), and records which
grader made it, so a folder whose grader was killed before it could delete it is removed later.
Every walk here is iterative and goes through folder descriptors, never following a link: no depth
(1,500 nested folders), path length or permission (a folder chmod 000) makes it raise.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from pathlib import Path

# Where any user may create files: swept after a FRESH_UID run (NAMESPACES runs never see them).
TEMP_ROOTS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/var/lock", "/dev/mqueue")
SCRATCH_PREFIX = "grader-"
OWNER_FILE = ".owner"  # "<pid> <start time>" of the grader that made the scratch folder
DEPTH_LIMIT = 128      # folder levels a run may nest; deeper is stopped (see disk_use)
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def make_scratch(gid: int | None = None) -> Path:
    """A fresh scratch folder, 0700; with gid (a fresh-uid run), 0750 and that group's."""
    path = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    (path / OWNER_FILE).write_text(_identity(os.getpid()), encoding="utf-8")
    if gid is not None:
        os.chown(path, -1, gid)
        path.chmod(0o750)
    return path


def _identity(pid: int) -> str:
    """pid and its start time: a pid the kernel reused is not the same process."""
    try:
        started = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        started = "?"
    return f"{pid} {started}"


def remove_stale_scratch() -> list[str]:
    """Delete our scratch folders whose grader died before it could; never raises."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        try:
            if folder.lstat().st_uid != os.geteuid() or not folder.is_dir() or folder.is_symlink():
                continue
            owner = (folder / OWNER_FILE).read_text(encoding="utf-8")
        except (OSError, ValueError):
            continue
        pid = owner.split()[0] if owner.split() else ""
        if pid.isdigit() and _identity(int(pid)) != owner and remove_tree(folder):
            removed.append(str(folder))
    return removed


def prepare_home(scratch: Path, uid: int | None, gid: int | None) -> Path:
    """The one folder the tests may write: HOME, TMPDIR and the results file."""
    home = scratch / "home"
    home.mkdir(mode=0o700)
    if uid is not None and gid is not None:
        os.chown(home, uid, gid)
    return home


def remove_tree(path: Path) -> bool:
    """Delete path and everything below it, whatever its depth or permissions; never follows a
    link and never raises. True when nothing is left."""
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            os.unlink(path)
            return True
        os.chmod(path, 0o700)
        top = os.open(path, _FOLDER)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        _empty(top)
    finally:
        os.close(top)
    with contextlib.suppress(OSError):
        os.rmdir(path)
    return not os.path.lexists(path)


def _empty(top: int) -> None:
    """Empty the folder open as top without recursion: each sub-folder's own sub-folders are first
    moved up into top (so no walk is ever more than one level deep), its files deleted, then it."""
    token = secrets.token_hex(6)  # hoisted names a run cannot have guessed in advance
    count = 0
    progress = True
    while progress:
        progress = False
        for name in os.listdir(top):
            try:
                if not stat.S_ISDIR(os.stat(name, dir_fd=top, follow_symlinks=False).st_mode):
                    os.unlink(name, dir_fd=top)
                    progress = True
                    continue
                os.chmod(name, 0o700, dir_fd=top)  # a folder the run chmod-ed 000
                inner = os.open(name, _FOLDER, dir_fd=top)
            except OSError:
                continue
            try:
                for item in os.listdir(inner):
                    with contextlib.suppress(OSError):
                        if stat.S_ISDIR(os.stat(item, dir_fd=inner, follow_symlinks=False).st_mode):
                            count += 1
                            os.rename(item, f".rm-{token}-{count}", src_dir_fd=inner, dst_dir_fd=top)
                        else:
                            os.unlink(item, dir_fd=inner)
                        progress = True
            except OSError:
                pass
            finally:
                os.close(inner)
            with contextlib.suppress(OSError):
                os.rmdir(name, dir_fd=top)
                progress = True


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
    return [str(path) for path in _temp_entries_of(uid) if remove_tree(path)]


def disk_use(paths: list[Path], uid: int | None) -> tuple[int, bool]:
    """Bytes allocated below paths, plus (for a fresh uid) what it owns in the temp folders; and
    whether some folder is nested deeper than DEPTH_LIMIT (the count stops there)."""
    total, too_deep = 0, False
    for root in list(paths) + (_temp_entries_of(uid) if uid is not None else []):
        size, deep = _usage(root)
        total, too_deep = total + size, too_deep or deep
    return total, too_deep


def _usage(root: Path) -> tuple[int, bool]:
    try:
        info = os.lstat(root)
        if not stat.S_ISDIR(info.st_mode):
            return info.st_blocks * 512, False
        stack = [(os.open(root, _FOLDER), iter(os.listdir(root)))]
    except OSError:
        return 0, False
    total, too_deep = 0, False
    while stack:
        fd, names = stack[-1]
        name = next(names, None)
        if name is None:
            os.close(fd)
            stack.pop()
            continue
        try:
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
            total += info.st_blocks * 512
            if stat.S_ISDIR(info.st_mode):
                if len(stack) >= DEPTH_LIMIT:
                    too_deep = True
                    continue
                child = os.open(name, _FOLDER, dir_fd=fd)
                try:
                    stack.append((child, iter(os.listdir(child))))
                except OSError:
                    os.close(child)
        except OSError:
            continue
    return total, too_deep
