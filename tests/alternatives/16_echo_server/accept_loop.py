"""An echo server with its own accept loop: one task per client, started as each one connects."""

import asyncio
import socket


async def handle(reader, writer):
    try:
        async for line in reader:  # a StreamReader iterates over lines until EOF
            writer.write(line)
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()


async def _client(conn):
    reader, writer = await asyncio.open_connection(sock=conn)
    await handle(reader, writer)


async def serve(host, port):
    loop = asyncio.get_running_loop()
    listener = socket.create_server((host, port))
    listener.setblocking(False)
    clients = set()
    try:
        while True:
            conn, _ = await loop.sock_accept(listener)
            task = asyncio.create_task(_client(conn))
            clients.add(task)
            task.add_done_callback(clients.discard)
    finally:
        listener.close()
        for task in clients:
            task.cancel()
        await asyncio.gather(*clients, return_exceptions=True)
