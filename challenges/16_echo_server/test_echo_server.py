"""Challenge 16: an echo server that serves fifty clients at once.

The learner's server runs in its own process; the clients are the witness's: fifty real TCP
connections on the learner's loopback, opened together. Each sends three lines, pausing between
them as a person at a keyboard would, reads each line back, then ends its side and waits for the
server to close. Every time is taken by the clients, on the witness's clock.
"""

from __future__ import annotations

import asyncio
import secrets
from types import ModuleType
from typing import NamedTuple

import pytest

from grader.testkit import checks, clock, require
from grader.testkit.connections import Connection, listening, render, served_at_once, stopped_cleanly
from grader.testkit.feedback import Mistake
from grader.testkit.serving import Server, serving, serving_port

HOST = "127.0.0.1"
CLIENTS = 50
LINES = 3
PAUSE = 0.3          # seconds a client waits between two of its lines
ONE_CLIENT = (LINES - 1) * PAUSE   # seconds one client takes: about all fifty should take together
LIMIT = 4.0          # seconds the clients get in all (one at a time would need 50 x 0.6 = 30 s)
CLOSE_WAIT = 1.0     # seconds a client waits for the server to close once it has said goodbye
LISTEN_WITHIN = 3.0  # seconds serve() gets to start listening
BUDGET = 30.0        # seconds serve() may run before the witness would call it hung


class Echo(NamedTuple):
    server: Server
    connections: list[Connection]
    took: float  # seconds from the clients' start to the last one's end


async def _client(server: Server, number: int, token: str, deadline: float) -> Connection:
    c = Connection(f"client {number}")
    origin = server.running.served.started
    try:
        reader, writer = await server.bridge.open_connection(server.port)
    except OSError:
        return c
    c.opened_at, c.outcome = clock.now() - origin, "no-answer"
    try:
        async with asyncio.timeout(deadline - clock.now()):
            for i in range(LINES):
                if i:
                    await asyncio.sleep(clock.scaled(PAUSE))
                c.sent.append(f"{number}.{i} {token}\n")
                writer.write(c.sent[-1].encode())
                answer = (await reader.readline()).decode(errors="replace")
                if not answer:
                    c.outcome, c.closed_at = "cut", clock.now() - origin
                    return c
                c.got.append(answer)
                c.last_answer_at = clock.now() - origin
                c.first_answer_at = c.first_answer_at or c.last_answer_at
            writer.write_eof()
            c.outcome = "left-open"
            async with asyncio.timeout(clock.scaled(CLOSE_WAIT)):
                rest = await reader.read()
            c.closed_at = clock.now() - origin
            c.got += [rest.decode(errors="replace")] if rest else []
            c.outcome = "ok" if c.got == c.sent else "wrong-answer"
    except TimeoutError:
        pass
    except OSError:
        c.outcome, c.closed_at = "cut", clock.now() - origin
    finally:
        writer.close()
    return c


async def _clients(server: Server) -> tuple[list[Connection], float]:
    token = secrets.token_hex(4)
    start = clock.now()
    deadline = start + clock.scaled(LIMIT)
    found = await asyncio.gather(*(_client(server, n, token, deadline) for n in range(1, CLIENTS + 1)))
    return list(found), clock.now() - start


@pytest.fixture(scope="module")
def echo(solution: ModuleType) -> Echo:
    serve = require(solution, "serve")
    require(solution, "handle")
    port = serving_port()
    connections: list[Connection] = []
    took = 0.0
    with serving(lambda kit: serve(HOST, port), port=port, budget=BUDGET) as server:
        if server.wait_listening(within=LISTEN_WITHIN):
            connections, took = asyncio.run(_clients(server))
    return Echo(server, connections, took)


def _timeline(echo: Echo) -> str:
    return render(echo.connections, until=echo.server.trial.elapsed)


@pytest.mark.points(3)
def test_every_client_gets_its_lines_back(echo: Echo) -> None:
    """each client gets back exactly the lines it sent"""
    listening(echo.server)
    connected = [c for c in echo.connections if c.opened_at is not None]
    if not connected:
        raise Mistake("not-listening", f"None of the {CLIENTS} clients could connect to "
                      f"127.0.0.1:{echo.server.port}.", "every client connected")
    wrong = next((c for c in connected if c.got != c.sent[:len(c.got)]
                  or c.outcome in ("wrong-answer", "cut")), None)
    if wrong is not None:
        raise Mistake("wrong-result", f"{wrong.name} sent {wrong.sent!r} and got back {wrong.got!r}.",
                      "every line sent back exactly as it came, newline included",
                      details=_timeline(echo))
    if not any(c.answered for c in connected):
        checks.no_blocking(echo.server.trial)
        _no_answer(echo, connected)


def _no_answer(echo: Echo, connected: list[Connection]) -> None:
    raise Mistake("wrong-result", f"{len(connected)} clients connected, sent a line each, and none "
                  f"got an answer within {echo.took:.1f} s.", "each line sent back as soon as it "
                  "arrives", "Read each line in the handler and write it straight back, then "
                  "`await writer.drain()` so it leaves at once.", details=_timeline(echo))


@pytest.mark.points(4)
def test_clients_are_served_at_the_same_time(echo: Echo) -> None:
    """fifty clients are served at the same time, in about one client's time"""
    listening(echo.server)
    checks.no_blocking(echo.server.trial)
    done = [c for c in echo.connections if c.answered and len(c.got) >= LINES]
    at_once = served_at_once(echo.connections)
    if at_once == 0:
        _no_answer(echo, [c for c in echo.connections if c.opened_at is not None])
    if len(done) < CLIENTS or at_once < CLIENTS // 2:
        code = "one-at-a-time" if at_once <= 2 else "too-slow"
        raise Mistake(code, f"{len(done)} of {CLIENTS} clients got all {LINES} lines back within "
                      f"{echo.took:.2f} s; at most {at_once} were being answered at once.",
                      f"all {CLIENTS} served side by side, in about {clock.scaled(ONE_CLIENT):.1f} s "
                      f"(one client's time; one at a time would take "
                      f"{clock.scaled(CLIENTS * ONE_CLIENT):.0f} s)", details=_timeline(echo))


@pytest.mark.points(3)
def test_connections_and_server_close_cleanly(echo: Echo) -> None:
    """the server closes each connection when its client is done, and stops when cancelled"""
    listening(echo.server)
    checks.no_blocking(echo.server.trial)  # a frozen loop can close nothing in time
    finished = [c for c in echo.connections if len(c.got) >= LINES]
    left_open = [c for c in finished if c.outcome == "left-open"]
    if left_open:
        raise Mistake("connection-left-open", f"{len(left_open)} of {len(finished)} clients ended "
                      f"their side and waited {clock.scaled(CLOSE_WAIT):.1f} s, but your server "
                      "never closed the connection.", "each connection closed once its client has "
                      "ended (readline() returned b'')", details=_timeline(echo))
    if not finished:
        raise Mistake("wrong-result", "No client got all its lines back, so none could end its "
                      "connection.", "clients that finish, then connections that close",
                      details=_timeline(echo))
    stopped_cleanly(echo.server)
