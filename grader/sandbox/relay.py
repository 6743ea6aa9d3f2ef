"""The run's network relay: sockets made inside the run's network namespace, handed to the witness.

Standard library only; imports nothing from the kit. A run has a private network namespace (only its
own loopback), which a witness outside it cannot enter (setns needs privileges a non-root witness
lacks in its own namespace). The run's init (inside.py) is in that namespace and is trusted: pid 1 of
the run's PID namespace, which the run's processes cannot signal (the kernel drops signals to a
namespace's init that it has no handler for) nor trace (it is not dumpable, and they have no
capabilities). So the init binds one Unix socket in the run's link folder before the run's process
exists, accepts exactly one connection (the witness's, made before any of the learner's code is
loaded), unlinks it, and from then on answers that connection only, in a thread:

    {"op": "listen"}              a TCP socket listening on 127.0.0.1:<free port>, for a witness server
    {"op": "connect", "port": P}  a TCP socket connected to 127.0.0.1:P, for a witness client
    {"op": "listeners"}           (no socket) the ports something in the namespace listens on

Each reply is one JSON line, with the socket's descriptor attached (SCM_RIGHTS). No byte is relayed:
the witness reads and writes the sockets itself, so its clocks see the connections first hand.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import threading

CONNECT_TIMEOUT = 2.0   # seconds; a loopback connect answers at once unless the backlog is full
LISTEN_BACKLOG = 512    # the witness's servers take bursts of a hundred connections
TCP_LISTEN = "0A"       # the state of a listening socket in /proc/net/tcp


def open_control(path: str) -> socket.socket:
    """The Unix socket the witness dials, made before the run's process starts; only its owner
    (the grader's user, outside) may connect."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(1)
    return listener


def start(listener: socket.socket, path: str) -> threading.Thread:
    thread = threading.Thread(target=_serve, args=(listener, path), name="grader-relay", daemon=True)
    thread.start()
    return thread


def _serve(listener: socket.socket, path: str) -> None:
    try:
        conn, _ = listener.accept()
    except OSError:
        return
    finally:
        listener.close()  # one witness per run: nobody connects after it
        with contextlib.suppress(OSError):
            os.unlink(path)
    with conn, conn.makefile("rb") as lines:
        for line in lines:
            try:
                request = json.loads(line)
                reply, made = _answer(request if isinstance(request, dict) else {})
            except ValueError:
                reply, made = {"error": "bad request"}, None
            data = (json.dumps(reply) + "\n").encode()
            try:
                socket.send_fds(conn, [data], [made.fileno()] if made is not None else [])
            except OSError:
                return
            finally:
                if made is not None:
                    made.close()  # the witness holds its own copy now


def _answer(request: dict[str, object]) -> tuple[dict[str, object], socket.socket | None]:
    op = request.get("op")
    if op == "listen":
        made = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        made.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        made.bind(("127.0.0.1", 0))
        made.listen(LISTEN_BACKLOG)
        return {"port": made.getsockname()[1]}, made
    if op == "connect" and isinstance(request.get("port"), int):
        made = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        made.settimeout(CONNECT_TIMEOUT)
        try:
            made.connect(("127.0.0.1", int(request["port"])))  # type: ignore[call-overload]
        except OSError as exc:
            made.close()
            return {"error": type(exc).__name__, "errno": exc.errno or errno.ETIMEDOUT}, None
        made.settimeout(None)
        return {"port": request["port"]}, made
    if op == "listeners":
        return {"ports": listening_ports("/proc/self/net")}, None
    return {"error": f"unknown op {op!r}"}, None


def listening_ports(net: str) -> list[int]:
    """Ports with a TCP socket listening on them, from a /proc/<pid>/net folder (IPv4 and IPv6)."""
    ports: set[int] = set()
    for name in ("tcp", "tcp6"):
        with contextlib.suppress(OSError), open(os.path.join(net, name), encoding="ascii") as table:
            for row in list(table)[1:]:
                fields = row.split()
                if len(fields) > 3 and fields[3] == TCP_LISTEN:
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return sorted(ports)
