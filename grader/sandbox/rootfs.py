"""The file system a run sees: an empty root holding only what the tests need (an allow-list).

Imports namespaces.py only. `build` runs in the run's first process (pid 1 of its PID namespace),
in a mount namespace of its own, and ends with pivot_root: the host's file system is then gone from
the run's view, so the kit's solutions, the class folder, other runs' scratch folders and any other
copy of the kit on the machine cannot be named, let alone read. What the run sees:

    /                  an empty tmpfs, read-only once built
    /proc              the run's own: its PID namespace holds only the run's processes
    /dev               null, zero, full, random, urandom and the fd links; /dev/shm private
    /tmp               private; like /dev/shm it vanishes with the run, sized by the disk limit
    system libraries   /lib*, /usr/lib* and a few /etc files (hosts, passwd, localtime...), read-only
    the interpreter    its prefixes, its sys.path and the packages the tests import, read-only
    readable paths     read-only (the scratch folder's tests, solution and pytest.ini)
    writable paths     read-write (the run's home; a folder holding a witness's Unix socket)
    hidden paths       an empty read-only mount, wherever one lies inside something shown
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterable

from grader.sandbox import namespaces as ns

SYSTEM = ("/lib", "/lib64", "/lib32", "/usr/lib", "/usr/lib64", "/usr/lib32", "/etc/hosts",
          "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf", "/etc/localtime", "/etc/passwd",
          "/etc/group", "/etc/ld.so.cache", "/etc/protocols", "/etc/services")
DEVICES = ("null", "zero", "full", "random", "urandom")
PACKAGES = ("grader", "pytest", "_pytest", "pluggy", "pytest_asyncio", "pytest_timeout", "iniconfig",
            "packaging", "click")


def interpreter_paths(entry: str = "") -> list[str]:
    """What the tests must be able to read: the interpreter, its libraries and the packages."""
    found = [sys.base_prefix, sys.prefix, sys.exec_prefix, os.path.dirname(sys.executable),
             *(p for p in sys.path if p)]
    for name in (*PACKAGES, entry.split(".")[0] if entry else ""):
        spec = importlib.util.find_spec(name) if name else None
        if spec is not None:
            found += list(spec.submodule_search_locations or [os.path.dirname(spec.origin or "")])
    return [p for p in dict.fromkeys(found) if p and os.path.exists(p)]


def build(new_root: str, readable: Iterable[str], writable: Iterable[str], hide: Iterable[str],
          tmp_bytes: int) -> None:
    """Assemble the view at new_root (an empty folder) and make it this namespace's root."""
    ns.make_private()
    ns.mount("tmpfs", new_root, "tmpfs", ns.MS_NOSUID | ns.MS_NODEV, "size=1m,mode=755")
    _devices(new_root)
    for folder in ("/tmp", "/dev/shm"):
        os.makedirs(new_root + folder, exist_ok=True)
        ns.mount("tmpfs", new_root + folder, "tmpfs", ns.MS_NOSUID | ns.MS_NODEV,
                 f"size={tmp_bytes},mode=1777")
    os.makedirs(new_root + "/proc")
    ns.mount("proc", new_root + "/proc", "proc", ns.MS_NOSUID | ns.MS_NODEV | ns.MS_NOEXEC)
    shown: list[str] = []
    for path in sorted({os.path.abspath(p) for p in [*SYSTEM, *readable] if os.path.lexists(p)}):
        real = _recreate_links(new_root, path)
        if os.path.exists(real) and not any(_under(real, done) for done in shown):
            _bind(real, new_root + real, writable=False)
            shown.append(real)
    for path in writable:
        real = _recreate_links(new_root, os.path.abspath(path))
        _bind(real, new_root + real, writable=True)
    for path in hide:
        _cover(new_root + os.path.realpath(path))
    ns.pivot_root(new_root)
    ns.make_readonly("/", recursive=False)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _recreate_links(new_root: str, path: str) -> str:
    """Where path really is; every symbolic link on the way (/lib64 -> usr/lib64, a venv's python)
    is made again inside the new root, so the path as written still works there."""
    parts = path.split("/")[1:]
    for i in range(1, len(parts) + 1):
        partial = "/" + "/".join(parts[:i])
        if os.path.islink(partial):
            inside = new_root + partial
            os.makedirs(os.path.dirname(inside), exist_ok=True)
            if not os.path.lexists(inside):
                os.symlink(os.readlink(partial), inside)
            return _recreate_links(new_root, os.path.join(os.path.realpath(partial), *parts[i:]))
    return path


def _bind(source: str, target: str, writable: bool) -> None:
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
    ns.mount(source, target, None, ns.MS_BIND | ns.MS_REC)
    if not writable:
        ns.make_readonly(target)


def _devices(new_root: str) -> None:
    dev = new_root + "/dev"
    os.makedirs(dev)
    ns.mount("tmpfs", dev, "tmpfs", ns.MS_NOSUID, "size=64k,mode=755")
    for name in DEVICES:
        _bind(f"/dev/{name}", f"{dev}/{name}", writable=True)  # writing /dev/null must work
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"{dev}/{name}")
    os.makedirs(dev + "/shm", exist_ok=True)


def _cover(inside: str) -> None:
    """Hide something a bind brought in (the kit's solutions inside a shown folder, say)."""
    if os.path.isdir(inside) and not os.path.islink(inside):
        ns.mount("tmpfs", inside, "tmpfs", ns.MS_RDONLY | ns.MS_NOSUID | ns.MS_NODEV | ns.MS_NOEXEC,
                 "size=4k,mode=555")
    elif os.path.isfile(inside) and not os.path.islink(inside):
        ns.mount("/dev/null", inside, None, ns.MS_BIND)
