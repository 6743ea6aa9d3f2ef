"""Gives each member a sending task but never stops it: when the member goes, its task waits on
the empty outbox forever, one leaked task per member that ever left.

expect: leaked-task
"""

import asyncio
import contextlib

from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed

outboxes = {}


def tell_others(line, sender=None):
    for member, outbox in outboxes.items():
        if member is not sender:
            with contextlib.suppress(asyncio.QueueFull):
                outbox.put_nowait(line)


async def deliver(member, outbox):
    while True:
        line = await outbox.get()  # after the member has gone, nothing ever comes
        with contextlib.suppress(ConnectionClosed):
            await member.send(line)


async def chat(member):
    name = await member.recv()
    tell_others(f"* {name} joined")
    outboxes[member] = asyncio.Queue(64)
    asyncio.create_task(deliver(member, outboxes[member]))  # started, never stopped
    try:
        async for text in member:
            tell_others(f"{name}: {text}", sender=member)
    except ConnectionClosed:
        pass
    finally:
        del outboxes[member]
        tell_others(f"* {name} left")


async def serve(host, port):
    async with ws_serve(chat, host, port) as server:
        await server.serve_forever()
