"""Each member's stay is a TaskGroup of two tasks, one listening and one sending, that end
together: a slow member only slows its own sender, and none outlives its member."""

import asyncio
from dataclasses import dataclass, field

from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed


@dataclass(eq=False)
class Member:
    name: str
    inbox: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(100))

    def offer(self, line):
        if not self.inbox.full():  # behind by 100 lines: it misses this one
            self.inbox.put_nowait(line)


class Left(Exception):
    pass


class Room:
    def __init__(self):
        self.members = set()

    def tell(self, line, but=None):
        for member in self.members:
            if member is not but:
                member.offer(line)

    async def listen(self, ws, member):
        try:
            async for text in ws:
                self.tell(f"{member.name}: {text}", but=member)
        except ConnectionClosed:
            pass
        raise Left  # ends the group, and with it the sender

    async def send(self, ws, member):
        while True:
            await ws.send(await member.inbox.get())

    async def stay(self, ws):
        member = Member(str(await ws.recv()))
        self.tell(f"* {member.name} joined")
        self.members.add(member)
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(self.listen(ws, member))
                group.create_task(self.send(ws, member))
        except* (Left, ConnectionClosed):
            pass
        finally:
            self.members.discard(member)
            self.tell(f"* {member.name} left")


async def serve(host, port):
    room = Room()
    async with ws_serve(room.stay, host, port):
        await asyncio.Future()  # until cancelled
