"""Forgets a member only when it says goodbye: a member that vanishes stays in the room, and the
next line sent to it raises in the handler of whoever spoke, which closes the speaker's connection.

expect: crashed-on-closed
"""

from websockets.asyncio.server import broadcast
from websockets.asyncio.server import serve as ws_serve

members = {}


async def tell_others(line, sender=None):
    for member in list(members):
        if member is not sender:
            await member.send(line)  # raises ConnectionClosed for a member that is gone


async def chat(member):
    name = await member.recv()
    await tell_others(f"* {name} joined")
    members[member] = name
    async for text in member:  # raises when the connection drops with no goodbye ...
        await tell_others(f"{name}: {text}", sender=member)
    del members[member]  # ... so this only runs after a goodbye
    broadcast(members, f"* {name} left")


async def serve(host, port):
    async with ws_serve(chat, host, port) as server:
        await server.serve_forever()
