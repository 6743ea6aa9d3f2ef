"""Pauses with time.sleep in the handler, which freezes the event loop for every client.

expect: blocking-call
"""

import asyncio
import time


async def handle(reader, writer):
    while line := await reader.readline():
        time.sleep(0.02)  # "let the line settle": every other client waits meanwhile
        writer.write(line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def serve(host, port):
    server = await asyncio.start_server(handle, host, port)
    async with server:
        await server.serve_forever()
