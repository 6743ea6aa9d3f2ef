"""Run a command as a plain user, for the kit's own tests (root only).

    python -m tests.plain_user UID -- COMMAND...

The kit's interpreter may live where a plain user cannot go (a pyenv under /root, mode 0700). In a
private mount namespace, each such folder is covered with an empty tmpfs and the paths the command
needs (the interpreter, the virtual environment, the kit) are bound back at their own places; then
the process becomes UID (no groups, no capabilities, HOME in a fresh folder it owns) and runs
COMMAND. Nothing changes outside that namespace.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from grader.sandbox import namespaces as ns

KIT = Path(__file__).resolve().parent.parent


def needed() -> list[Path]:
    found = {sys.base_prefix, sys.prefix, os.path.realpath(sys.executable), str(KIT)}
    return sorted(Path(os.path.realpath(p)) for p in found)


def blocked_at(path: Path) -> Path | None:
    """The topmost folder above path that other users may not pass through."""
    for parent in reversed(path.parents):
        if not parent.stat().st_mode & 0o001:
            return parent
    return None


def expose(paths: list[Path]) -> None:
    wanted: dict[Path, list[Path]] = {}
    for path in paths:
        top = blocked_at(path)
        if top is not None:
            wanted.setdefault(top, []).append(path)
    for top, inner in wanted.items():
        handles = {path: os.open(path, os.O_PATH) for path in inner}
        ns.mount("tmpfs", str(top), "tmpfs", ns.MS_NOSUID | ns.MS_NODEV, "size=64k,mode=755")
        for path, handle in handles.items():
            if os.path.isdir(f"/proc/self/fd/{handle}"):
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
            ns.mount(f"/proc/self/fd/{handle}", str(path), None, ns.MS_BIND | ns.MS_REC)
            os.close(handle)


def main(argv: list[str]) -> int:
    uid, separator, *command = argv
    if separator != "--" or not command or os.geteuid() != 0:
        raise SystemExit("usage (as root): python -m tests.plain_user UID -- COMMAND...")
    ns.unshare(ns.CLONE_NEWNS)
    ns.make_private()
    expose(needed())
    home = tempfile.mkdtemp(prefix="grader-plain-user-")
    os.chown(home, int(uid), int(uid))
    os.setgroups([])
    os.setgid(int(uid))
    os.setuid(int(uid))
    env = {**os.environ, "HOME": home, "TMPDIR": "/tmp", "USER": f"u{uid}", "LOGNAME": f"u{uid}"}
    os.execvpe(command[0], command, env)
    return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
