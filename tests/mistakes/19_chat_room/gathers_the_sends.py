"""Sends a line to every other member at once with gather, but waits for all of them: the speaker
still waits for the slowest member, so one that stops reading stalls whoever speaks.

expect: stalled-by-slow-reader
"""

import asyncio

from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed

members = {}


async def tell_others(line, sender=None):
    others = [m for m in members if m is not sender]
    await asyncio.gather(*(m.send(line) for m in others), return_exceptions=True)


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
