"""Serves one client at a time: a lock held for each client's whole session.

expect: one-at-a-time
"""

import asyncio

_turn = asyncio.Lock()


async def handle(reader, writer):
    async with _turn:  # the next client waits until this one has finished
        while line := await reader.readline():
            writer.write(line)
            await writer.drain()
        writer.close()
        await writer.wait_closed()


async def serve(host, port):
    server = await asyncio.start_server(handle, host, port)
    async with server:
        await server.serve_forever()
