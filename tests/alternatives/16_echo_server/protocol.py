"""An echo server written with the low-level Protocol API: callbacks instead of streams."""

import asyncio


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)  # echo at once: bytes in, the same bytes out

    def eof_received(self):
        return False  # the client is done: returning False closes our side too


async def handle(reader, writer):
    """Kept for the task's signature; the server below uses the Protocol."""
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def serve(host, port):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, host, port)
    try:
        await server.serve_forever()
    finally:
        server.close()
