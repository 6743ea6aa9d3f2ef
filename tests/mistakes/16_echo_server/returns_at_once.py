"""Starts the server but returns instead of serving: the server is gone as soon as it was made.

expect: not-listening
"""

import asyncio


async def handle(reader, writer):
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def serve(host, port):
    server = await asyncio.start_server(handle, host, port)
    server.close()
