"""Reading a submitted file without being fooled: no link is followed anywhere below the folder
the submission was given as, only a regular file is read, and never more than a limit.

Standard library only; imports nothing from the kit. Every step opens relative to the folder
before it with O_NOFOLLOW, so a `solution.py` (or a `challenges` folder) that is a link to the
kit's reference, to a secret or to /proc/self/mem is refused, not read; so is a FIFO or a device.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY  # a FIFO must not block us


class Refused(Exception):
    """A submitted file that cannot be graded; str() is the reason, for the learner."""

    def __init__(self, reason: str, missing: bool = False) -> None:
        super().__init__(reason)
        self.missing = missing


def read_submission(root: Path, relative: Path, limit: int) -> bytes:
    """The content of root/relative; raises Refused (missing, a link, not a file, too big)."""
    fd = -1
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)  # the folder as the instructor named it
        for part in relative.parts[:-1]:
            inner = os.open(part, _FOLDER, dir_fd=fd)
            os.close(fd)
            fd = inner
        handle = os.open(relative.name, _FILE, dir_fd=fd)
    except OSError as exc:
        raise _refusal(root, relative, exc) from None
    finally:
        if fd >= 0:
            os.close(fd)
    with os.fdopen(handle, "rb") as source:
        info = os.fstat(source.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"Not graded: {relative} is not a regular file. Next step: submit "
                          f"{relative.name} as a plain file of Python.")
        if info.st_size > limit:
            raise Refused(f"Not graded: {relative.name} is {info.st_size / 1024**2:.1f} MB; a solution "
                          f"is a few kilobytes of Python (the limit is {limit // 1024} KB).")
        return source.read(limit)  # never more than the limit, should it grow meanwhile


def _refusal(root: Path, relative: Path, exc: OSError) -> Refused:
    """Why opening failed: a link on the way, or nothing there."""
    path = root
    for part in relative.parts:
        path = path / part
        with contextlib.suppress(OSError):
            if path.is_symlink():
                return Refused(f"Not graded: {path.relative_to(root)} is a symbolic link; the grader "
                               f"reads only files stored in the submission itself. Next step: "
                               f"replace the link with the real file, commit and push.")
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return Refused(f"Not submitted: there is no {root / relative}.", missing=True)
    return Refused(f"Not graded: {relative} could not be read ({exc.strerror}). Next step: make it a "
                   f"plain, readable file.")
