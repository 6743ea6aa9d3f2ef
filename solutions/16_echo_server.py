"""Challenge 16 reference: an echo server that serves every client at once.

asyncio.start_server runs `handle` as a new task for each connection, so fifty clients are fifty
tasks, each waiting on its own socket; none waits for another. The handler only has to read a line,
write it back, and close the connection when the client is done.
"""

from __future__ import annotations

import asyncio


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Echo every line back until the client ends its side, then close the connection."""
    try:
        # readline() returns b"" once the client has ended its side (EOF): the loop ends there.
        while line := await reader.readline():
            writer.write(line)
            # drain() waits while the client is slow to read, instead of buffering without limit.
            await writer.drain()
    finally:
        # Close our side too, and wait until it is really closed: the client then sees the end.
        writer.close()
        await writer.wait_closed()


async def serve(host: str, port: int) -> None:
    """Listen on host:port and serve each client with `handle` until cancelled."""
    server = await asyncio.start_server(handle, host, port)
    # `async with` closes the listening socket however serve() ends, cancellation included.
    async with server:
        await server.serve_forever()
