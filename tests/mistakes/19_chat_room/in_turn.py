"""Sends each line to the members one after another, awaiting every send: a member that stops
reading makes the speaker wait on it, and with the speaker the rest of the room.

expect: stalled-by-slow-reader
"""

from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed

members = {}


async def tell_others(line, sender=None):
    for member in list(members):
        if member is not sender:
            try:
                await member.send(line)  # waits while this member is slow to read
            except ConnectionClosed:
                pass


async def chat(member):
    name = await member.recv()
    await tell_others(f"* {name} joined")
    members[member] = name
    try:
        async for text in member:
            await tell_others(f"{name}: {text}", sender=member)
    except ConnectionClosed:
        pass
    finally:
        del members[member]
        await tell_others(f"* {name} left")


async def serve(host, port):
    async with ws_serve(chat, host, port) as server:
        await server.serve_forever()
