"""The witness's way onto the learner's loopback: sockets for the clients and servers the tests run.

Under the grader with namespaces, the run has a loopback of its own; the run's init hands the
witness sockets made there (grader/sandbox/relay.py), over a Unix socket the witness dials once,
before any of the learner's code is loaded, and whose peer it checks (the kernel's word: it must be
the executor's parent, the run's init). Everywhere else (plain pytest, or a sandbox without a
network namespace) the witness shares the learner's loopback and makes the sockets itself. Either
way the witness holds real TCP sockets on 127.0.0.1: its clients read and write them directly, its
servers accept on them, and every figure it takes is first hand.

Imports the standard library only.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import socket
import struct
import threading
from typing import Any

RELAY_ENV = "GRADER_WITNESS_RELAY"   # set by the grader: where the run's init offers sockets
HOST = "127.0.0.1"
STREAM_LIMIT = 2**20                  # bytes a witness-side stream buffers


class Bridge:
    """One per executor: sockets on the executor's loopback (through its init, or made here)."""

    def __init__(self, relay: socket.socket | None, executor_pid: int) -> None:
        self._relay = relay
        self._pid = executor_pid
        self._lock = threading.Lock()
        self._own: set[int] = set()  # ports the witness's own servers listen on

    @property
    def relayed(self) -> bool:
        return self._relay is not None

    # -- sockets -----------------------------------------------------------------------------------

    def listen(self) -> socket.socket:
        """A socket listening on 127.0.0.1:<free port> where the learner's code can dial it."""
        if self._relay is None:
            made = socket.create_server((HOST, 0), backlog=512)
        else:
            made = self._ask({"op": "listen"})
        self._own.add(made.getsockname()[1])
        return made

    def free_port(self) -> int:
        """A port nothing listens on (yet) in the learner's network: for the learner's server."""
        with self.listen() as probe:
            port = int(probe.getsockname()[1])
        self._own.discard(port)
        return port

    def connect(self, port: int) -> socket.socket:
        """A socket connected to 127.0.0.1:port in the learner's network (ConnectionRefusedError
        when nothing listens there)."""
        if self._relay is None:
            return socket.create_connection((HOST, port), timeout=2.0)
        return self._ask({"op": "connect", "port": port})

    async def open_connection(self, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        made = await asyncio.to_thread(self.connect, port)
        made.setblocking(False)
        return await asyncio.open_connection(sock=made, limit=STREAM_LIMIT)

    def learner_listens(self) -> list[int]:
        """The ports the learner's code listens on (the witness's own servers left out)."""
        if self._relay is None:
            found = _listening_of(self._pid)
        else:
            with self._lock:
                self._relay.sendall(b'{"op": "listeners"}\n')
                reply, _fds = _receive(self._relay)
            found = [int(p) for p in reply.get("ports", []) if isinstance(p, int)]
        return [p for p in found if p not in self._own]

    def close(self) -> None:
        if self._relay is not None:
            self._relay.close()

    def _ask(self, request: dict[str, Any]) -> socket.socket:
        with self._lock:
            self._relay.sendall((json.dumps(request) + "\n").encode())  # type: ignore[union-attr]
            reply, fds = _receive(self._relay)  # type: ignore[arg-type]
        if not fds:
            number = int(reply.get("errno") or errno.ECONNREFUSED)
            raise ConnectionRefusedError(number, f"127.0.0.1:{request.get('port')}: "
                                                 f"{reply.get('error', 'refused')}")
        return socket.socket(fileno=fds[0])


def attach(executor_pid: int) -> Bridge:
    """The bridge for this session: through the run's init when the grader named one."""
    path = os.environ.get(RELAY_ENV, "")
    if not path:
        return Bridge(None, executor_pid)
    relay = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    relay.connect(path)
    peer = _peer_pid(relay)
    init = _parent_of(executor_pid)
    if peer != init:  # anything else answering there could hand the witness sockets of its own
        relay.close()
        raise RuntimeError(f"the run's relay at {path} is process {peer}, not the run's init ({init})")
    return Bridge(relay, executor_pid)


def _receive(relay: socket.socket) -> tuple[dict[str, Any], list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(relay, 65536, 1)
    if not data:
        raise ConnectionError("the run's relay closed (the run has ended)")
    while not data.endswith(b"\n"):
        more = relay.recv(65536)
        if not more:
            raise ConnectionError("the run's relay closed mid-reply")
        data += more
    return json.loads(data), list(fds)


def _peer_pid(sock: socket.socket) -> int:
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return int(struct.unpack("3i", creds)[0])


def _parent_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("PPid:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return -1


def _listening_of(pid: int) -> list[int]:
    """Ports a process's own sockets listen on, in a network it shares with others: the rows of its
    network's table whose socket inode is one of the process's open files."""
    inodes: set[str] = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return []
    ports: set[int] = set()
    for name in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{name}", encoding="ascii") as table:
                rows = list(table)[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 9 and fields[3] == "0A" and fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return sorted(ports)
