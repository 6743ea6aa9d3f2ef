"""A learner's chat room as the witness sees it: members (real websockets clients) and what was said.

Each Member dials the learner's server through the bridge (a real TCP socket on the learner's
loopback), speaks the WebSocket protocol with the `websockets` library, says its name, and from
then on keeps every line it hears with the moment it arrived, on the witness's clock. It can talk,
stop reading (its client then stops taking bytes off the socket, as a stuck phone would), vanish
(the connection dropped with no goodbye) or leave politely. When the server closes a member's
connection on its own, the member notes when and with which close code.

The Room keeps every line said (by whom, when, and who was there to hear it) so that the checks
can list who missed what.

Imports the standard library, websockets, the testkit's clock and serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from grader.testkit import clock
from grader.testkit.serving import Server

HEAD = 80          # characters of a line kept: enough to tell lines apart, not a copy of each paste
OPEN_TIMEOUT = 3.0  # seconds the opening handshake may take
CLOSE_TIMEOUT = 1.0  # seconds a polite goodbye waits for the server's answer
POLL = 0.01         # seconds between two looks at what has been heard


def key(line: str) -> tuple[str, int]:
    """How a line is recognised: its beginning and its length."""
    return line[:HEAD], len(line)


@dataclass
class Member:
    """One member of the room, as the witness's client saw it (times: seconds since origin)."""

    name: str
    origin: float
    heard: list[tuple[float, tuple[str, int]]] = field(default_factory=list)
    joined_at: float | None = None
    gone_at: float | None = None         # when the member itself left or vanished
    cut_at: float | None = None          # when the server closed the connection on its own
    cut_code: int | None = None          # the close code it gave (1006: dropped with no close frame)
    cut_reason: str = ""
    refused: str = ""                    # why the member could not join, if it could not
    ws: ClientConnection | None = None
    _reader: asyncio.Task[None] | None = None

    def since(self) -> float:
        return clock.now() - self.origin

    @property
    def present(self) -> bool:
        return self.ws is not None and self.gone_at is None and self.cut_at is None

    @property
    def reading(self) -> bool:
        return self.present and self._reader is not None and not self._reader.done()

    def has_heard(self, line: str) -> bool:
        wanted = key(line)
        return any(k == wanted for _at, k in self.heard)

    def heard_at(self, line: str) -> float | None:
        wanted = key(line)
        return next((at for at, k in self.heard if k == wanted), None)

    async def join(self, dial: Callable[[], socket.socket], uri: str, max_queue: int = 16) -> bool:
        """Connect, say the name, start listening; False (and `refused` says why) if it failed."""
        try:
            sock = await asyncio.to_thread(dial)
            sock.setblocking(False)
            self.ws = await connect(uri, sock=sock, compression=None, ping_interval=None,
                                    open_timeout=clock.scaled(OPEN_TIMEOUT),
                                    close_timeout=clock.scaled(CLOSE_TIMEOUT), max_queue=max_queue)
            await self.ws.send(self.name)
        except (OSError, TimeoutError, ConnectionClosed) as exc:
            self.refused = f"{type(exc).__name__}: {exc}"
            self.ws = None
            return False
        except Exception as exc:  # the handshake failed: not a WebSocket server there
            self.refused = f"{type(exc).__name__}: {exc}"
            self.ws = None
            return False
        self.joined_at = self.since()
        self._reader = asyncio.create_task(self._listen())
        return True

    async def _listen(self) -> None:
        assert self.ws is not None
        try:
            async for line in self.ws:
                text = line if isinstance(line, str) else line.decode(errors="replace")
                self.heard.append((self.since(), key(text)))
        except ConnectionClosed:
            pass
        if self.gone_at is None:  # the connection ended and this member did not end it
            self.cut_at = self.since()
            self.cut_code = self.ws.close_code
            self.cut_reason = self.ws.close_reason or ""

    async def say(self, text: str) -> bool:
        """Send one line to the room; False if the connection was closed under it."""
        if not self.present:
            return False
        assert self.ws is not None
        try:
            await self.ws.send(text)
        except ConnectionClosed:
            return False
        return True

    async def stop_reading(self) -> None:
        """Stop taking lines: the client soon stops reading the socket, which then fills up."""
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    async def vanish(self) -> None:
        """Drop the connection at once, with no close frame (a reset, as a crashed device)."""
        if self.ws is None or self.gone_at is not None:
            return
        self.gone_at = self.since()
        transport: Any = self.ws.transport
        with contextlib.suppress(OSError, AttributeError):
            transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                                          struct.pack("ii", 1, 0))
        transport.abort()
        await self.stop_reading()

    async def leave(self) -> None:
        """Say goodbye (a close frame) and wait, briefly, for the server to answer it."""
        if self.ws is None or self.gone_at is not None:
            return
        self.gone_at = self.since()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(clock.scaled(CLOSE_TIMEOUT) * 2):
                await self.ws.close()
        if self.ws.transport is not None:
            self.ws.transport.abort()  # no answer: drop it, so nothing is left open
        await self.stop_reading()


@dataclass
class Said:
    """A line said in the room, and who should have heard it."""

    line: str           # as the others should hear it: "ada-3f: hello" or "* ada-3f joined"
    by: str             # the member it is about
    at: float
    to: list[str]       # the members present and reading when it was said, the speaker left out
    phase: str          # join | chat | vanish | leave | flood


@dataclass
class Room:
    server: Server
    members: dict[str, Member] = field(default_factory=dict)
    said: list[Said] = field(default_factory=list)
    marks: dict[str, float] = field(default_factory=dict)  # phase -> when it started

    def m(self, first: str) -> Member:
        return next(v for k, v in self.members.items() if k.startswith(first + "-"))

    def listeners(self, *but: str) -> list[Member]:
        return [m for m in self.members.values() if m.reading and m.name not in but]

    def note(self, line: str, by: str, phase: str) -> Said:
        said = Said(line, by, clock.now() - self.server.running.served.started,
                    [m.name for m in self.listeners(by)], phase)
        self.said.append(said)
        return said

    def heard_by_all(self, *said: Said) -> bool:
        return all(self.members[n].has_heard(s.line) for s in said for n in s.to)

    async def wait_heard(self, *said: Said, within: float) -> bool:
        """Wait until everyone it was said to heard it, at most `within` scaled seconds."""
        return await until(lambda: self.heard_by_all(*said), clock.scaled(within))

    def missed(self, phase: str) -> list[tuple[Said, str]]:
        return [(s, n) for s in self.said if s.phase == phase for n in s.to
                if not self.members[n].has_heard(s.line)]


async def until(condition: Callable[[], bool], within: float) -> bool:
    """Wait until condition() holds, at most `within` (already scaled) seconds; whether it held."""
    deadline = clock.now() + within
    while not condition():
        if clock.now() >= deadline:
            return False
        await asyncio.sleep(POLL)
    return True
