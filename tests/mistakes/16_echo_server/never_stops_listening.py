"""Serves well, but never closes its server: cancelled, serve() leaves the port listening.

expect: left-listening
"""

import asyncio


async def handle(reader, writer):
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


_kept = []


async def serve(host, port):
    server = await asyncio.start_server(handle, host, port)
    _kept.append(server)  # never closed: the socket keeps listening after serve() is cancelled
    await asyncio.Event().wait()
