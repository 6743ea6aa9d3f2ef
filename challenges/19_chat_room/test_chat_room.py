"""Challenge 19: a chat room over WebSockets, graded by eight real members.

The learner's server runs in its own process; the members are the witness's: real `websockets`
clients on real sockets of the learner's loopback. They join one by one and chat; then one member
vanishes (its connection dropped with no goodbye), one leaves politely, and one stops reading while
another pastes long messages. Every line each member hears is stamped on the witness's clock, and
the checks compare it with what was said, by whom, and when.
"""

from __future__ import annotations

import asyncio
import secrets
from types import ModuleType

import pytest

from grader.testkit import checks, clock, require
from grader.testkit.connections import listening, stopped_cleanly
from grader.testkit.feedback import Mistake
from grader.testkit.members import Member, Room, Said
from grader.testkit.serving import serving, serving_port

HOST = "127.0.0.1"
NAMES = ["ada", "bo", "cy", "di", "ed", "flo", "gus", "hal"]
GHOST, LEAVER, SLEEPY, PASTER = "ed", "flo", "di", "ada"  # their roles, by their first names
CHAT_LINES = 2
PAUSE = 0.1           # seconds between two lines of one member
NOTICE_WAIT = 1.0     # seconds the others get to hear something said
PASTES = 96           # long messages pasted while one member is not reading ...
PASTE_SIZE = 128 * 1024  # ... of 128 KiB each: 12 MiB, more than the socket buffers of a member hold
PASTE_PAUSE = 0.01    # seconds between two pastes: a hundred lines a second, no faster
FLOOD_WAIT = 5.0      # seconds the room gets to pass on the pastes (a good server needs well under 1 s)
LISTEN_WITHIN = 3.0   # seconds serve() gets to start listening
BUDGET = 60.0         # seconds serve() may run before the witness would call it hung


async def _talk(room: Room, phase: str, speakers: list[Member], lines: int) -> None:
    """Each speaker says `lines` lines, all speakers at once; wait until the others heard them."""
    token = secrets.token_hex(3)

    async def speak(member: Member) -> list[Said]:
        said = []
        for i in range(lines):
            if i:
                await asyncio.sleep(clock.scaled(PAUSE))
            text = f"{phase} {i} {token}"
            said.append(room.note(f"{member.name}: {text}", member.name, phase))
            await member.say(text)
        return said

    found = await asyncio.gather(*(speak(m) for m in speakers))
    await room.wait_heard(*(s for group in found for s in group), within=NOTICE_WAIT)


async def _flood(room: Room) -> None:
    """One member stops reading; another pastes long messages; then the rest say a line each."""
    sleepy, paster = room.m(SLEEPY), room.m(PASTER)
    room.marks["flood"] = sleepy.since()
    await sleepy.stop_reading()
    filler = "x" * PASTE_SIZE
    pastes = []

    async def paste() -> None:
        for i in range(PASTES):
            text = f"paste {i} {secrets.token_hex(3)} {filler}"[:PASTE_SIZE]
            pastes.append(room.note(f"{paster.name}: {text}", paster.name, "flood"))
            if not await paster.say(text):
                return
            await asyncio.sleep(clock.scaled(PASTE_PAUSE))

    # A stalled server stops reading the paster too, and its sends then wait: give up in time.
    pasting = asyncio.create_task(paste())
    await asyncio.wait({pasting}, timeout=clock.scaled(FLOOD_WAIT))
    pasting.cancel()
    await asyncio.gather(pasting, return_exceptions=True)
    others = [m for m in room.listeners(paster.name) if m.name != sleepy.name]
    await _talk(room, "flood", others, 1)
    await room.wait_heard(*pastes, within=FLOOD_WAIT)
    await sleepy.vanish()


async def _scenario(room: Room) -> None:
    token = secrets.token_hex(2)
    uri = f"ws://{HOST}:{room.server.port}/"
    for first in NAMES:
        member = Member(f"{first}-{token}", room.server.running.served.started)
        room.members[member.name] = member
        notice = room.note(f"* {member.name} joined", member.name, "join")
        joined = await member.join(lambda: room.server.bridge.connect(room.server.port), uri,
                                   max_queue=1 if first == SLEEPY else 16)
        if not joined:
            return
        await room.wait_heard(notice, within=NOTICE_WAIT)
        await asyncio.sleep(clock.scaled(0.05))  # a server that registers late still gets it in
    await _talk(room, "chat", room.listeners(), CHAT_LINES)
    ghost, leaver = room.m(GHOST), room.m(LEAVER)
    room.marks["vanish"] = ghost.since()
    await ghost.vanish()
    await room.wait_heard(room.note(f"* {ghost.name} left", ghost.name, "vanish"), within=NOTICE_WAIT)
    await _talk(room, "vanish", room.listeners(), 1)
    room.marks["leave"] = leaver.since()
    await leaver.leave()
    await room.wait_heard(room.note(f"* {leaver.name} left", leaver.name, "leave"), within=NOTICE_WAIT)
    await _flood(room)


async def _run(room: Room) -> None:
    try:
        async with asyncio.timeout(clock.scaled(BUDGET / 2)):
            await _scenario(room)
    except TimeoutError:
        pass
    finally:
        await asyncio.gather(*(m.leave() for m in room.members.values()))


@pytest.fixture(scope="module")
def room(solution: ModuleType) -> Room:
    serve = require(solution, "serve")
    port = serving_port()
    with serving(lambda kit: serve(HOST, port), port=port, budget=BUDGET) as server:
        found = Room(server)
        if server.wait_listening(within=LISTEN_WITHIN):
            asyncio.run(_run(found))
    return found


# -- the checks --------------------------------------------------------------------------------

def _present(room: Room) -> None:
    """The server listened, and every member could join."""
    listening(room.server)
    refused = [m for m in room.members.values() if m.refused]
    if refused:
        raise Mistake("not-listening", f"{refused[0].name} could not join the room at "
                      f"ws://{HOST}:{room.server.port}/: {refused[0].refused}.",
                      "a WebSocket server on that port that accepts every member",
                      "Serve with `websockets.asyncio.server.serve(handler, host, port)`.")


def _not_cut(room: Room) -> None:
    """No member's connection was closed by the server while the member was still there."""
    cut = sorted((m for m in room.members.values() if m.cut_at is not None), key=lambda m: m.cut_at)
    if not cut:
        return
    first, ghost = cut[0], room.m(GHOST)
    code = f"close code {first.cut_code}{': ' + first.cut_reason if first.cut_reason else ''}"
    if ghost.gone_at is not None and first.cut_at >= ghost.gone_at:  # type: ignore[operator]
        raise Mistake("crashed-on-closed", f"{ghost.name} vanished at {ghost.gone_at:.2f} s (its "
                      f"connection dropped with no goodbye); at {first.cut_at:.2f} s your server "
                      f"closed {first.name}'s connection ({code}), and {len(cut)} member(s) were "
                      "cut in all.", "the room to go on without the member that vanished",
                      details=_summary(room))
    raise Mistake("wrong-result", f"Your server closed {first.name}'s connection at "
                  f"{first.cut_at:.2f} s ({code}) while it was still chatting.",
                  "every member stays connected until it leaves", details=_summary(room))


def _missed(room: Room, phase: str, what: str) -> None:
    missed = room.missed(phase)
    if missed:
        said, name = missed[0]
        lines = sorted({s.line[:60] for s, _n in missed})
        raise Mistake("wrong-result", f"{name} never heard {said.line[:60]!r} ({what}), said at "
                      f"{said.at:.2f} s; {len(missed)} line(s) went unheard in all, e.g. "
                      f"{lines[:3]}.", f"every line reaches every other member within "
                      f"{clock.scaled(NOTICE_WAIT):.1f} s", details=_summary(room))


def _summary(room: Room) -> str:
    rows = ["What each member heard (lines, and how they ended):"]
    for m in room.members.values():
        end = (f"cut by the server at {m.cut_at:.2f} s (close code {m.cut_code})"
               if m.cut_at is not None else f"left at {m.gone_at:.2f} s" if m.gone_at is not None
               else "still there")
        joined = f"{m.joined_at:.2f} s" if m.joined_at is not None else "never"
        rows.append(f"  {m.name:<10} joined {joined}, heard {len(m.heard)} lines, {end}")
    return "\n".join(rows)


@pytest.mark.points(3)
def test_members_hear_each_other(room: Room) -> None:
    """every member hears the others join and talk, each line with its speaker's name"""
    _present(room)
    checks.no_blocking(room.server.trial)
    for m in room.members.values():
        own = [s.line for s in room.said if s.by == m.name and s.phase in ("join", "chat")
               and m.has_heard(s.line)]
        if own:
            raise Mistake("wrong-result", f"{m.name} heard its own line {own[0][:60]!r} back.",
                          "each line goes to every *other* member: the speaker already knows what "
                          "it said", details=_summary(room))
    _not_cut(room)
    _missed(room, "join", "a join notice")
    _missed(room, "chat", "a chat line")


@pytest.mark.points(3)
def test_members_who_vanish_or_leave(room: Room) -> None:
    """a member that vanishes or leaves is announced, and the room goes on without it"""
    _present(room)
    checks.no_blocking(room.server.trial)
    _not_cut(room)
    _missed(room, "vanish", "after a member vanished")
    _missed(room, "leave", "after a member left")


@pytest.mark.points(4)
def test_a_member_that_stops_reading_holds_up_nobody(room: Room) -> None:
    """while one member stops reading, everyone else still hears everything at once"""
    _present(room)
    checks.no_blocking(room.server.trial)
    if "flood" not in room.marks or room.missed("chat"):
        raise Mistake("wrong-result", "The room did not pass every line on even while every member "
                      "was reading (see the first test), so a member that stops reading could not "
                      "be tried.", "a room that works while everyone reads", details=_summary(room))
    _not_cut(room)
    missed = room.missed("flood")
    if missed:
        sleepy = room.m(SLEEPY)
        pastes = [s for s in room.said if s.phase == "flood" and s.by.startswith(PASTER + "-")]
        short = [s for s in room.said if s.phase == "flood" and s not in pastes]
        worst = min((room.members[n] for n in pastes[0].to),
                    key=lambda m: sum(m.has_heard(s.line) for s in pastes))
        got = sum(worst.has_heard(s.line) for s in pastes)
        late = len({id(s) for s, _n in missed if s in short})
        held = (f" ({len(pastes)} went out before the server stopped taking them)"
                if len(pastes) < PASTES else "")
        after = (f", and {late} of the {len(short)} short lines said after them went unheard"
                 if late else "")
        raise Mistake("stalled-by-slow-reader", f"{sleepy.name} stopped reading at "
                      f"{room.marks['flood']:.2f} s. Then {room.m(PASTER).name} began pasting "
                      f"{PASTES} long messages{held}: {worst.name}, who was reading, heard {got} "
                      f"of them within {clock.scaled(FLOOD_WAIT):.0f} s{after}.",
                      f"every member that reads hears every line at once, whatever {sleepy.name} "
                      "does", details=_summary(room))


@pytest.mark.points(2)
def test_the_room_closes_cleanly(room: Room) -> None:
    """no task outlives its member, and cancelled, the server stops listening"""
    _present(room)
    checks.no_blocking(room.server.trial)
    trial = room.server.trial
    if trial.leftover and not (trial.timed_out or trial.crashed):
        gone = sum(m.gone_at is not None for m in room.members.values())
        raise Mistake("leaked-task", f"All {gone} members had left, and serve() was cancelled, yet "
                      f"{len(trial.leftover)} task(s) were still running: "
                      f"{', '.join(trial.leftover[:3])}{' ...' if len(trial.leftover) > 3 else ''}.",
                      "no task outlives its member", "Whatever way a member goes, cancel the tasks "
                      "you started for it and await them (in the handler's `finally:`), or run them "
                      "in an `asyncio.TaskGroup` that ends with the member.", details=_summary(room))
    stopped_cleanly(room.server)
