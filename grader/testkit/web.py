"""HTTP on the bridge: the witness's web clients and web servers, on the learner's loopback.

The witness's HTTP clients are httpcore connection pools whose connections are sockets from the
bridge (`Bridge.connect`); its HTTP servers are ASGI apps served by uvicorn on sockets from
`Bridge.listen`. Real libraries speak the protocol on both sides; this module only hands them the
bridge's sockets, so every request and every time taken is the witness's own. Call and Ask
are what the witness's servers and clients note of each request.

Imports httpcore, uvicorn and grader.witness.bridge (the standard library's asyncio besides).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpcore
import uvicorn

from grader.witness.bridge import Bridge


@dataclass
class Call:
    """One request that reached a witness server (seconds since the learner's code started)."""

    backend: str
    city: str
    started: float
    ended: float | None = None  # None: the learner's side went away before the answer


@dataclass
class Ask:
    """One request a witness client sent to the learner's server."""

    city: str
    sent: float
    answered: float | None = None
    status: int | None = None
    body: object = None
    error: str = ""

    @property
    def latency(self) -> float | None:
        return None if self.answered is None else self.answered - self.sent


class _Stream(httpcore.AsyncNetworkStream):
    """An asyncio stream pair, as httpcore wants a connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as error:
            raise httpcore.ReadTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ReadError(str(error)) from error

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._writer.write(buffer)
            async with asyncio.timeout(timeout):
                await self._writer.drain()
        except TimeoutError as error:
            raise httpcore.WriteTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.WriteError(str(error)) from error

    async def aclose(self) -> None:
        self._writer.close()
        with contextlib.suppress(OSError):
            await self._writer.wait_closed()

    def get_extra_info(self, info: str) -> Any:
        return self._writer.get_extra_info(info)


class BridgeNetwork(httpcore.AsyncNetworkBackend):
    """Connections to 127.0.0.1:<port> on the learner's loopback, whatever host the URL names."""

    def __init__(self, bridge: Bridge) -> None:
        self._bridge = bridge

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Any = None,
                          ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await self._bridge.open_connection(port)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        return _Stream(reader, writer)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@contextlib.asynccontextmanager
async def client(bridge: Bridge) -> AsyncIterator[httpcore.AsyncConnectionPool]:
    """An HTTP client onto the learner's loopback, with no limit on connections at once."""
    pool = httpcore.AsyncConnectionPool(network_backend=BridgeNetwork(bridge), max_connections=None,
                                        max_keepalive_connections=None)
    async with pool:
        yield pool


class _Quiet(uvicorn.Server):
    """uvicorn without its signal handlers: the witness's signals stay the witness's."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def served(app: Any, sock: socket.socket) -> AsyncIterator[None]:
    """Serve an ASGI app on a listening socket (from Bridge.listen) for the length of the block."""
    config = uvicorn.Config(app, log_level="error", lifespan="off", backlog=1024,
                            timeout_graceful_shutdown=1)  # a stuck peer cannot hold the test
    server = _Quiet(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not task.done():
        await asyncio.sleep(0.005)
    try:
        yield
    finally:
        server.should_exit = True
        await task
