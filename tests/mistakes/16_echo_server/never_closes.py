"""Echoes every line but never closes the connection when the client is done.

expect: connection-left-open
"""

import asyncio


async def handle(reader, writer):
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()


async def serve(host, port):
    server = await asyncio.start_server(handle, host, port)
    async with server:
        await server.serve_forever()
