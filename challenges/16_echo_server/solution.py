"""Challenge 16: an echo server.

A client connects, sends lines, and expects each one back as soon as it arrives. Fifty clients
connect at once: serve them all side by side.
"""

from __future__ import annotations

import asyncio


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Send every line the client sends straight back; close the connection when it is done."""
    # TODO: read a line at a time (`await reader.readline()`, b"" when the client is done), write
    # each one back, and close the connection at the end.
    raise NotImplementedError


async def serve(host: str, port: int) -> None:
    """Listen on host:port and serve every client with `handle`, until cancelled."""
    # TODO: start a server that runs `handle` for each client, and keep it serving.
    raise NotImplementedError
