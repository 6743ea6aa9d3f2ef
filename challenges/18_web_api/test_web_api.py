"""Challenge 18: a web API that asks three slow backends for every request, under a hundred clients.

The learner's FastAPI app runs in its own process, served by uvicorn on a loopback port chosen at
run time. The three backends are the witness's: real HTTP servers (uvicorn) on the learner's
loopback, each answering after half a second and noting when every request reached it and when it
was answered. A hundred clients, the witness's too, then ask the learner's API at the same moment.
Every figure (answers, latencies, backend calls in flight) is taken in the witness.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import secrets
import socket
import statistics
from types import ModuleType

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from grader.testkit import checks, clock, require, web
from grader.testkit.connections import listening, stopped_cleanly
from grader.testkit.feedback import Mistake
from grader.testkit.serving import Server, serving, serving_port
from grader.testkit.trial import BUSY_SHARE, STALL_LIMIT
from grader.testkit.web import Ask, Call

HOST = "127.0.0.1"
BACKENDS = ("weather", "traffic", "news")
CLIENTS = 100
DELAY = 3.0          # seconds each backend takes to answer
LIMIT = 16.0         # seconds the clients wait in all, plus WORK (one after another: 9 s a request)
LISTEN_WITHIN = 5.0  # seconds serve() gets to start listening
BUDGET = 40.0        # seconds serve() may run before the witness would call it hung
AT_ONCE = 75         # requests whose backend calls must be in flight together (FastAPI's threads: 40)
THREADPOOL = 40      # FastAPI runs a `def` endpoint in a pool of 40 threads (anyio's default)
THREADS = 8          # threads run by the learner's process that make a thread pool's work
KEPT = DELAY         # seconds a median request may wait besides its backends (plus WORK)
WORK = 4.0           # seconds, not scaled: the work of a hundred requests at once, on a busy machine
# Seconds of computing in one stretch (not scaled) past which the loop was busy with more than the
# requests' own work. One httpx client for all three backends (correct, as in
# tests/alternatives/18_web_api/taskgroup_lifespan.py) computes for 3.5-3.8 s in one stretch on a
# quiet 2-core machine and 4.4 s with both cores busy: its pool checks every one of its 300
# connections for each other at every request and answer (httpcore 1.0). Room for a machine about
# three times slower: at 5 s, a loaded CI run found tests/mistakes/18_web_api/limited.py (such a
# client) computing too long for 5.23 s of it.
BUSY_STALL = 12.0


class Run:
    """What the witness saw: the clients' requests and the calls that reached the backends."""

    def __init__(self, server: Server, token: str) -> None:
        self.server, self.token = server, token
        self.asks: list[Ask] = []
        self.calls: list[Call] = []
        self.took = 0.0
        self.ended = 0.0  # seconds since serve() started when the clients stopped waiting


def _reading(backend: str, city: str, token: str) -> dict[str, str]:
    return {"backend": backend, "city": city, "reading": f"{backend}:{city}:{token}"}


def _backend(name: str, run: Run) -> Starlette:
    """A slow backend: a plain Starlette app (the lightest real ASGI app) noting every request."""
    origin = run.server.running.served.started

    async def answer(request: Request) -> JSONResponse:
        city = request.path_params["city"]
        call = Call(name, city, clock.now() - origin)
        run.calls.append(call)
        await asyncio.sleep(clock.scaled(DELAY))
        call.ended = clock.now() - origin
        return JSONResponse(_reading(name, city, run.token))

    return Starlette(routes=[Route("/{city}", answer)])


async def _ask(run: Run, number: int, deadline: float) -> Ask:
    origin = run.server.running.served.started
    ask = Ask(f"city{number}", clock.now() - origin)
    url = f"http://{HOST}:{run.server.port}/report/{ask.city}"
    try:
        async with asyncio.timeout(deadline - clock.now()):
            async with web.client(run.server.bridge) as http:  # each client a user of its own
                response = await http.request("GET", url)
                ask.answered, ask.status = clock.now() - origin, response.status
        try:
            ask.body = json.loads(response.content)
        except ValueError:
            ask.body = response.content.decode(errors="replace")[:200]
    except TimeoutError:
        ask.error = "no answer"
    except Exception as error:  # any failure of the exchange is the finding
        ask.error = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return ask


async def _clients(run: Run, sockets: list[socket.socket]) -> None:
    async with contextlib.AsyncExitStack() as stack:
        for name, sock in zip(BACKENDS, sockets, strict=True):
            await stack.enter_async_context(web.served(_backend(name, run), sock))
        start = clock.now()
        deadline = start + clock.scaled(LIMIT) + WORK
        run.asks = list(await asyncio.gather(*(_ask(run, n, deadline)
                                               for n in range(1, CLIENTS + 1))))
        run.took = clock.now() - start
        run.ended = clock.now() - run.server.running.served.started


@pytest.fixture(scope="module")
def api(solution: ModuleType) -> Run:
    serve = require(solution, "serve")
    port = serving_port()
    from grader.witness import session

    bridge = session.executor().bridge
    sockets = [bridge.listen() for _ in BACKENDS]
    urls = {name: f"http://{HOST}:{sock.getsockname()[1]}" for name, sock in zip(BACKENDS, sockets,
                                                                                  strict=True)}
    token = secrets.token_hex(4)
    with serving(lambda kit: serve(HOST, port, urls), port=port, budget=BUDGET) as server:
        run = Run(server, token)
        if server.wait_listening(within=LISTEN_WITHIN):
            asyncio.run(_clients(run, sockets))
    for sock in sockets:
        sock.close()
    return run


# -- what the witness saw -----------------------------------------------------------------------

def _calls_of(run: Run, before: float = math.inf) -> dict[str, list[Call]]:
    """Each city's backend calls (those begun before `before`)."""
    found: dict[str, list[Call]] = {}
    for call in run.calls:
        if call.started < before:
            found.setdefault(call.city, []).append(call)
    return found


def _one_after_another(calls: list[Call]) -> bool:
    """The calls did not all overlap: one began only once another had ended."""
    ends = [c.ended for c in calls if c.ended is not None]
    return len(calls) > 1 and bool(ends) and max(c.started for c in calls) >= min(ends)


def _peak_requests(run: Run) -> int:
    """The most client requests in flight at the same moment while the clients waited: a request
    from the moment the last of its backends was first asked (one backend asked on arrival while a
    limit holds back the others does not put it in flight) until its last call ended (a call cut
    off when the clients stopped counts until then)."""
    spans = []
    for calls in _calls_of(run, before=run.ended).values():
        first: dict[str, float] = {}
        for call in sorted(calls, key=lambda c: c.started):
            first.setdefault(call.backend, call.started)
        spans.append((max(first.values()),
                      max(min(c.ended or run.ended, run.ended) for c in calls)))
    edges = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    peak = current = 0
    for _at, step in edges:
        current += step
        peak = max(peak, current)
    return peak


def _kept_waiting(run: Run, ask: Ask, by_city: dict[str, list[Call]]) -> float:
    """Seconds of a request's answer spent on anything but its own backend calls: the server's
    work, and whatever it kept the request waiting for (other requests, a lock, a free thread).
    Whether the backends were asked together is the second test's question, not this one's.
    Only each backend's first call counts (a report needs one): calls made again and again to
    cover a request's time in a queue are waiting too."""
    assert ask.answered is not None
    first: dict[str, Call] = {}
    for call in sorted(by_city.get(ask.city, []), key=lambda c: c.started):
        first.setdefault(call.backend, call)
    spans = sorted((max(c.started, ask.sent), min(c.ended or ask.answered, ask.answered))
                   for c in first.values())
    covered, reached = 0.0, ask.sent
    for start, end in spans:
        covered += max(0.0, end - max(start, reached))
        reached = max(reached, end)
    return ask.answered - ask.sent - covered


def _chart(run: Run, cities: list[str]) -> str:
    """The backend calls of a few requests, on one time axis."""
    by_city = _calls_of(run)
    rows = [c for city in cities for c in sorted(by_city.get(city, []), key=lambda c: c.started)]
    if not rows:
        return "Timeline: no request reached a backend."
    end = max(c.ended or c.started for c in rows) or 1e-9
    lines = [f"Backend calls (0 to {end:.2f} s since serve() started; █ in flight):"]
    for c in rows:
        first = round(c.started / end * 40)
        last = max(first + 1, round((c.ended or end) / end * 40))
        bar = ("·" * first + "█" * (last - first) + "·" * 40)[:40]
        lines.append(f"  {c.city:<8} {c.backend:<8} |{bar}| {c.started:.2f}-"
                     f"{c.ended if c.ended is not None else float('nan'):.2f} s")
    return "\n".join(lines)


def _never_stalled(run: Run) -> None:
    """No blocking call on the event loop: no time.sleep, no stretch spent waiting in a call that
    does not give the loop back. Stretches of computing are the hundred requests' own work here,
    and a loop kept waiting by dozens of worker threads (a `def` endpoint: they hold the GIL in
    turns) is the thread pool's story, told by the last test; only a long stretch of those counts."""
    trial = run.server.trial
    busy = trial.stall_cpu >= BUSY_SHARE * trial.longest_stall
    crowded = trial.threads_started >= THREADS and not trial.sleeps
    checks.no_blocking(trial, limit=BUSY_STALL if busy or crowded else STALL_LIMIT)


def _expected(run: Run, city: str) -> dict[str, object]:
    return {"city": city, **{name: _reading(name, city, run.token) for name in BACKENDS}}


def _no_answer(run: Run) -> None:
    errors = sorted({a.error for a in run.asks if a.error})
    raise Mistake("wrong-result", f"None of the {CLIENTS} clients got an answer within "
                  f"{run.took:.1f} s ({'; '.join(errors[:3]) or 'no reply'}).",
                  f"each GET /report/<city> answered in about {clock.scaled(DELAY):.1f} s",
                  details=_chart(run, ["city1", "city2"]))


# -- the tests ----------------------------------------------------------------------------------

@pytest.mark.points(3)
def test_every_client_gets_the_combined_report(api: Run) -> None:
    """each client gets the three backends' answers for its city, combined in one JSON object"""
    listening(api.server)
    if not any(a.answered for a in api.asks):
        _never_stalled(api)
        _no_answer(api)
    for ask in api.asks:
        if ask.answered is None:
            continue
        if ask.status != 200:
            raise Mistake("wrong-result", f"GET /report/{ask.city} answered HTTP {ask.status}: "
                          f"{str(ask.body)[:200]}.", "HTTP 200 with the combined report",
                          "Run the app by hand and look at the traceback uvicorn prints for the "
                          "request.")
        if ask.body != _expected(api, ask.city):
            raise Mistake("wrong-result", f"GET /report/{ask.city} answered {str(ask.body)[:300]}.",
                          f"{_expected(api, ask.city)}: the city, then each backend's JSON answer "
                          "under the backend's name")


@pytest.mark.points(3)
def test_backends_are_asked_at_the_same_time(api: Run) -> None:
    """for each request, the three backends are asked at the same time, not one after another"""
    listening(api.server)
    _never_stalled(api)
    by_city = _calls_of(api)
    complete = {city: calls for city, calls in by_city.items() if len(calls) == len(BACKENDS)}
    if not by_city:
        _no_answer(api)
    if not complete:
        raise Mistake("wrong-result", f"No request reached all {len(BACKENDS)} backends: "
                      f"{len(by_city)} cities reached {len(api.calls)} backend calls in all.",
                      "every GET /report/<city> to call each backend once",
                      details=_chart(api, sorted(by_city)[:3]))
    serial = sorted((city for city, calls in complete.items() if _one_after_another(calls)),
                    key=lambda city: int(city.removeprefix("city")))
    if len(serial) > len(complete) // 10:
        raise Mistake("sequential", f"In {len(serial)} of {len(complete)} requests the backends "
                      "were called one after another: each call began only when the one before "
                      f"it had answered, so a request took {len(BACKENDS)} backend calls "
                      f"({len(BACKENDS) * clock.scaled(DELAY):.1f} s) instead of one.",
                      f"the {len(BACKENDS)} backend calls of a request in flight together",
                      "Start the three requests before awaiting any of them: "
                      "`await asyncio.gather(...)`.", details=_chart(api, serial[:2]))


@pytest.mark.points(4)
def test_a_hundred_clients_are_served_at_once(api: Run) -> None:
    """a hundred clients are served at once, none kept waiting by the others"""
    listening(api.server)
    _never_stalled(api)
    peak = _peak_requests(api)
    answered = [a for a in api.asks if a.status == 200]
    if not answered:
        _no_answer(api)
    trial = api.server.trial
    # A request's latency less the time its backends took is what the server itself kept it
    # waiting: judged so, backends asked one after another (the second test's finding) cost no
    # points here, whatever the machine's load. The loop's longest busy stretch (computing, or kept
    # from a CPU by the machine's other work, as the kernel counts it) is the hundred requests' own
    # cost: it is not held against the server.
    by_city = _calls_of(api)
    kept = {a.city: _kept_waiting(api, a, by_city) for a in answered}
    allowed = clock.scaled(KEPT) + WORK + trial.longest_stall + trial.stall_waited
    slow = [city for city, waited in kept.items() if waited > allowed]
    median = statistics.median(a.latency or 0.0 for a in answered)
    median_kept = statistics.median(kept.values())
    figures = (f"{len(answered)} of {CLIENTS} clients were answered within {api.took:.2f} s "
               f"(median {median:.2f} s); besides waiting for its backends a request was kept "
               f"waiting {median_kept:.2f} s (median), {len(slow)} more than {allowed:.1f} s; at "
               f"most {peak} requests had backend calls in flight at the same moment; your event "
               f"loop's longest busy stretch was {trial.longest_stall:.2f} s (and "
               f"{trial.stall_waited:.2f} s waiting for a CPU).")
    expected = (f"all {CLIENTS} requests in flight together, none kept waiting by the others: "
                "each answered once its backends had answered, plus the work of a hundred "
                "requests at once")
    if peak < AT_ONCE and trial.threads_started >= THREADS and peak <= THREADPOOL + 2:
        raise Mistake("threadpool-bound", f"{figures} Your process ran "
                      f"{trial.threads_started} threads: a plain `def` endpoint runs in "
                      f"FastAPI's thread pool, which serves {THREADPOOL} requests at a time.",
                      expected, details=_chart(api, ["city1", f"city{CLIENTS}"]))
    if peak < AT_ONCE:
        raise Mistake("too-few-at-once", figures, expected,
                      "Look at what the requests wait for besides the backends: a lock, a limit "
                      "(httpx's pool holds 100 connections unless told otherwise), or one "
                      "request's work done before the next is taken.",
                      details=_chart(api, ["city1", f"city{CLIENTS}"]))
    if len(answered) < CLIENTS or median_kept > allowed:
        raise Mistake("too-slow", figures, expected,
                      "Look at what a request waits for besides its backends: a lock or a "
                      "semaphore around the endpoint, or work done before the next request is taken.",
                      details=_chart(api, ["city1", f"city{CLIENTS}"]))
    _uvicorn_shut_down(api)
    stopped_cleanly(api.server)


def _uvicorn_shut_down(run: Run) -> None:
    """Cancelled, uvicorn's serve() stops where it is: its lifespan task is left behind unless the
    server is shut down."""
    left = [task for task in run.server.trial.leftover if "LifespanOn" in task]
    if left and not run.server.trial.timed_out:
        raise Mistake("leaked-task", f"Once serve() was cancelled, uvicorn's own task was still "
                      f"running ({left[0]}): uvicorn was stopped mid-serve and never shut down.",
                      "nothing left running, nothing left listening, once serve() is cancelled",
                      "Cancelling `await server.serve()` skips uvicorn's shutdown: run it yourself "
                      "when serve() ends, however it ends.")
