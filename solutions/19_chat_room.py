"""Challenge 19 reference: a chat room over WebSockets in which no member can hold up the others.

Each member gets an outbox (a bounded asyncio.Queue) and a task of its own that sends what lands
there. Saying something to the room only puts a line in the other members' outboxes, which never
waits: a member that stops reading fills its own outbox and then misses lines, while everyone else
keeps hearing at full speed. Whatever way a member goes (a goodbye, a dropped connection), its
handler ends, its sending task is cancelled and awaited, and the others hear that it left.
"""

from __future__ import annotations

import asyncio
import contextlib

from websockets.asyncio.server import ServerConnection
from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed

OUTBOX = 64  # lines a member may fall behind before it starts missing some


class Room:
    """The members present, each with the outbox its own sending task empties."""

    def __init__(self) -> None:
        self.outboxes: dict[ServerConnection, asyncio.Queue[str]] = {}

    def say(self, line: str, sender: ServerConnection | None = None) -> None:
        """Put line in every other member's outbox; never waits for anyone."""
        for member, outbox in self.outboxes.items():
            if member is not sender:
                # A full outbox is a member that has stopped reading: it misses this line,
                # rather than making the speaker (and so the whole room) wait for it.
                with contextlib.suppress(asyncio.QueueFull):
                    outbox.put_nowait(line)

    async def chat(self, member: ServerConnection) -> None:
        """One member's whole stay: its name, then every line it says, until it goes."""
        try:
            name = str(await member.recv())
        except ConnectionClosed:
            return  # gone before saying who it is: nobody to announce
        outbox: asyncio.Queue[str] = asyncio.Queue(OUTBOX)
        self.say(f"* {name} joined")
        self.outboxes[member] = outbox
        sender = asyncio.create_task(_deliver(member, outbox))
        try:
            async for text in member:  # ends on a goodbye; raises when the connection just drops
                self.say(f"{name}: {text}", sender=member)
        except ConnectionClosed:
            pass  # vanished without a goodbye: it left all the same
        finally:
            # However the member went, forget it, stop its sending task (and wait until it has
            # stopped: no task outlives its member), then tell the others.
            del self.outboxes[member]
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            self.say(f"* {name} left")


async def _deliver(member: ServerConnection, outbox: asyncio.Queue[str]) -> None:
    """Send the member its lines, one at a time, at the pace it reads them."""
    with contextlib.suppress(ConnectionClosed):  # the connection dropped: the handler cleans up
        while True:
            await member.send(await outbox.get())


async def serve(host: str, port: int) -> None:
    """Run the chat room on host:port until cancelled."""
    room = Room()
    # `async with` closes the server and every connection however serve() ends.
    async with ws_serve(room.chat, host, port) as server:
        await server.serve_forever()
