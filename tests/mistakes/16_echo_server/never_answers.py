"""Accepts every client but never reads or answers: the clients wait in silence.

expect: wrong-result
"""

import asyncio


async def handle(reader, writer):
    await asyncio.Event().wait()  # waits for something that never comes


async def serve(host, port):
    server = await asyncio.start_server(handle, host, port)
    async with server:
        await server.serve_forever()
