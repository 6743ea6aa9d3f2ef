"""A chat room on websockets.broadcast: it writes to every connection without waiting for any."""

from websockets.asyncio.server import broadcast
from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed

members = set()


async def chat(member):
    try:
        name = await member.recv()
    except ConnectionClosed:
        return
    broadcast(members, f"* {name} joined")
    members.add(member)
    try:
        async for text in member:
            broadcast(members - {member}, f"{name}: {text}")
    except ConnectionClosed:
        pass
    finally:
        members.discard(member)
        broadcast(members, f"* {name} left")


async def serve(host, port):
    async with ws_serve(chat, host, port) as server:
        await server.serve_forever()
