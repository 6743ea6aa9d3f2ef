"""Messages between the witness and the executor: one JSON object per length-prefixed frame.

Imports only the standard library; imported on both sides. Frames are capped, so a learner's process
that floods the socket cannot make the witness allocate without bound; anything malformed closes the link.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from typing import Any

LISTEN_ENV = "GRADER_WITNESS_FD"  # set by the grader: the socket its sandboxed executor dials

HEADER = struct.Struct("!I")
MAX_FRAME = 4 * 1024**2  # bytes; the largest honest message is a result of a few kilobytes


class WireError(Exception):
    """The other side sent something that is not a frame of this protocol."""


def pack(message: dict[str, Any]) -> bytes:
    body = json.dumps(message, separators=(",", ":")).encode()
    if len(body) > MAX_FRAME:
        raise WireError(f"a message of {len(body):,} bytes is over the {MAX_FRAME:,}-byte limit")
    return HEADER.pack(len(body)) + body


def unpack(body: bytes) -> dict[str, Any]:
    try:
        message = json.loads(body)
    except ValueError as exc:
        raise WireError(f"a frame that is not JSON: {exc}") from None
    if not isinstance(message, dict) or not isinstance(message.get("kind"), str):
        raise WireError("a frame without a kind")
    return message


def frame_size(header: bytes) -> int:
    (size,) = HEADER.unpack(header)
    if size > MAX_FRAME:
        raise WireError(f"a frame of {size:,} bytes is over the {MAX_FRAME:,}-byte limit")
    return size


class BlockingLink:
    """A socket used from plain threads: sends are serialised, reads belong to one reader thread."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._send_lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        data = pack(message)
        with self._send_lock:
            self.sock.sendall(data)

    def receive(self) -> dict[str, Any] | None:
        """The next message, or None when the other side closed the link."""
        header = self._exactly(HEADER.size)
        if header is None:
            return None
        body = self._exactly(frame_size(header))
        if body is None:
            return None
        return unpack(body)

    def _exactly(self, size: int) -> bytes | None:
        chunks, left = [], size
        while left:
            chunk = self.sock.recv(min(left, 1 << 16))
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
