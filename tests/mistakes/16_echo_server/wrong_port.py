"""Listens on a fixed port of its own choosing instead of the one serve() is given.

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
    server = await asyncio.start_server(handle, host, 8888)
    async with server:
        await server.serve_forever()
