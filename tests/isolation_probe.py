"""What one real run can see and reach, measured from inside it and from a witness outside it.

    python -m tests.isolation_probe        (as root, or as a plain user through tests.plain_user)

Prints one JSON object: the isolation level, the facts the run's own test gathered (its uid, its
capabilities, the processes and network interfaces it sees, whether it sees the kit or can signal
the witness) and what the witness, a thread of this process with the grader's user, could read of
the run's /proc/<pid>/task/<tid>/{stat,syscall} after the run connected to its Unix socket in a
folder the plan shares read-write. tests/test_isolation.py holds the verdicts.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import struct
import sys
import threading
from pathlib import Path
from typing import Any

from grader import sandbox

KIT = Path(__file__).resolve().parent.parent
INNER = '''
import json, os, socket

def test_probe():
    facts = {{"uid": os.getuid(), "sees_kit": os.path.exists({kit!r} + "/solutions"),
             "processes": sorted(int(n) for n in os.listdir("/proc") if n.isdigit()),
             "interfaces": [name for _, name in socket.if_nameindex()],
             "tmp": sorted(os.listdir("/tmp")), "root": sorted(os.listdir("/")),
             "cap_eff": [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0]}}
    try:
        os.kill({witness}, 0)
        facts["signals_witness"] = True
    except ProcessLookupError:
        facts["signals_witness"] = False
    except PermissionError:
        facts["signals_witness"] = "denied"
    client = socket.socket(socket.AF_UNIX)
    client.connect({socket_path!r})
    client.sendall(json.dumps(facts).encode())
    client.shutdown(socket.SHUT_WR)
    assert client.recv(16) == b"ok"
'''


def witness(server: socket.socket, found: dict[str, Any]) -> None:
    """Accept the run, identify it by SO_PEERCRED and read its threads' /proc files."""
    connection, _ = server.accept()
    with connection:
        creds = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        pid, _uid, _gid = struct.unpack("3i", creds)
        readable = {"stat": True, "syscall": True}
        tasks = os.listdir(f"/proc/{pid}/task")
        for tid in tasks:
            for name in readable:
                try:
                    readable[name] = readable[name] and bool(
                        Path(f"/proc/{pid}/task/{tid}/{name}").read_text().strip())
                except OSError:
                    readable[name] = False
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
        found.update(peer_pid=pid, threads=len(tasks), stat_readable=readable["stat"],
                     syscall_readable=readable["syscall"], inside=json.loads(data))
        connection.sendall(b"ok")


def main() -> int:
    level = sandbox.isolation().level
    uid, gid = sandbox.fresh_identity() if os.geteuid() == 0 else (None, None)
    scratch = sandbox.make_scratch(gid)
    found: dict[str, Any] = {"level": level}
    try:
        work, shared = scratch / "work", scratch / "shared"
        work.mkdir()
        shared.mkdir(mode=0o700)
        socket_path = str(shared / "witness.sock")
        server = socket.socket(socket.AF_UNIX)
        server.bind(socket_path)
        server.listen(1)
        if uid is not None and gid is not None:  # the run's uid must be able to connect
            for path in (shared, Path(socket_path)):
                os.chown(path, uid, gid)
        (work / "test_probe.py").write_text(INNER.format(kit=str(KIT), witness=os.getpid(),
                                                         socket_path=socket_path))
        home = sandbox.prepare_home(scratch, uid, gid)
        thread = threading.Thread(target=witness, args=(server, found), daemon=True)
        thread.start()
        plan = sandbox.Plan(work=str(work), scratch=str(scratch), tag=secrets.token_hex(12),
                            key=sandbox.new_key(), cpu_seconds=60, isolation=level,
                            args=[str(work / "test_probe.py"), "-q", "-p", "no:cacheprovider",
                                  "--rootdir", str(work)],
                            readable=[str(work)], writable=[str(home), str(shared)], uid=uid, gid=gid)
        record = sandbox.launch(plan, 60.0, home)
        thread.join(timeout=5)
        found.update(returncode=record["returncode"], output=record["output"][-3000:],
                     witness_pid=os.getpid(), run_uid=uid if uid is not None else os.getuid())
    finally:
        sandbox.remove_tree(scratch)
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
