"""Challenge 19: a chat room over WebSockets.

Members connect, say their name, then chat: everything one member says reaches every other member,
with the speaker's name. A member that stops reading, or vanishes, must hold up nobody else.
"""

from __future__ import annotations

import asyncio

from websockets.asyncio.server import ServerConnection
from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed


async def chat(member: ServerConnection) -> None:
    """One member's stay in the room: its name first, then every line it says, until it goes."""
    # TODO: read the member's name (`await member.recv()`), tell the others "* <name> joined",
    # then pass each line on as "<name>: <line>" to every other member, without ever waiting for
    # a slow one. However the member goes, forget it and tell the others "* <name> left".
    raise NotImplementedError


async def serve(host: str, port: int) -> None:
    """Run the chat room on host:port until cancelled."""
    # TODO: serve `chat` for every member that connects, e.g. with `ws_serve(chat, host, port)`.
    raise NotImplementedError
