"""Ends its whole process when the first client connects.

expect: crashed
"""

import asyncio
import os


async def handle(reader, writer):
    os._exit(3)


async def serve(host, port):
    server = await asyncio.start_server(handle, host, port)
    async with server:
        await server.serve_forever()
