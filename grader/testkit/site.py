"""A small web site the witness serves on the learner's loopback, and the log of what reached it.

    with Site(PAGES, robots="User-agent: *\nDisallow: /private/\n") as site:
        run_trial(lambda kit: crawl(site.url("/"), ...), budget=...)
    site.requests   # every request, in arrival order, on the witness's clock

Each Page says how long it takes, what it links to, and how it misbehaves: answering 503 a few
times before it succeeds, never answering, or not existing (404). The site is a plain ASGI app
served by uvicorn on a socket from the bridge (grader/witness/bridge.py), in a thread of the
witness's own, so every figure (when a request arrived, when its answer left, when its client gave
up, which TCP connection it came on) is first hand. No HTTP is written here: uvicorn speaks it.

Imports the standard library, uvicorn, the testkit's clock and the witness's session (its bridge).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import uvicorn

from grader.testkit import clock

START_WITHIN = 5.0  # seconds the server thread gets to start answering
STOP_WITHIN = 3.0   # seconds it gets to stop


@dataclass(frozen=True)
class Page:
    """One page: its latency (scaled seconds), its links (hrefs as written), how it misbehaves."""

    latency: float = 0.1
    links: tuple[str, ...] = ()
    fails: int = 0          # answers 503 this many times before it succeeds
    hangs: bool = False     # never answers
    missing: bool = False   # answers 404

    def html(self, title: str) -> str:
        items = "".join(f'<li><a href="{href}">{href}</a></li>' for href in self.links)
        return f"<html><head><title>{title}</title></head><body><ul>{items}</ul></body></html>"


@dataclass
class Request:
    """One request as the site saw it; times are seconds since the site started."""

    path: str
    connection: int          # the client's port: one per TCP connection
    started: float
    ended: float = math.inf  # the answer left, or the client went away
    status: int | None = None  # None: the client gave up before an answer came

    @property
    def abandoned(self) -> bool:
        return self.status is None

    def over_by(self, gave_up_after: float) -> float:
        """When the request ended for its client. One given up on ends at most `gave_up_after`
        seconds after it arrived: the client's timeout ends it there, while the site may learn of
        it only after the client's next request (on a new connection) has already arrived."""
        return min(self.ended, self.started + gave_up_after) if self.abandoned else self.ended


@dataclass
class Site:
    """The pages (by path), served on the learner's loopback while the block runs."""

    pages: dict[str, Page]
    robots: str = ""
    bridge: Any = None  # where to listen (grader/witness/bridge.py); default: this session's
    requests: list[Request] = field(default_factory=list)
    port: int = 0
    origin: float = 0.0
    _server: Any = None
    _thread: threading.Thread | None = None
    _served: dict[str, int] = field(default_factory=dict)  # path -> requests answered so far

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> Site:
        if self.bridge is None:
            from grader.witness import session

            self.bridge = session.executor().bridge
        sock = self.bridge.listen()
        self.port = int(sock.getsockname()[1])
        # proxy_headers off: a client's X-Forwarded-For must not pass for another connection.
        config = uvicorn.Config(self._app, interface="asgi3", log_level="critical", lifespan="off",
                                access_log=False, proxy_headers=False, timeout_graceful_shutdown=0)
        self._server = uvicorn.Server(config)
        self.origin = clock.now()
        self._thread = threading.Thread(target=self._run, args=(sock,), name="site", daemon=True)
        self._thread.start()
        deadline = clock.now() + START_WITHIN
        while not self._server.started and self._thread.is_alive() and clock.now() < deadline:
            clock.real_sleep(0.005)
        if not self._server.started:
            raise RuntimeError("the witness's site did not start (a bug in the kit)")
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.should_exit = self._server.force_exit = True
        if self._thread is not None:
            self._thread.join(STOP_WITHIN)
            if self._thread.is_alive():
                raise RuntimeError("the witness's site did not stop (a bug in the kit)")
        for request in self.requests:  # still waiting when the site stopped: never answered
            request.ended = min(request.ended, clock.now() - self.origin)

    def _run(self, sock: Any) -> None:
        with sock:
            asyncio.run(self._server.serve(sockets=[sock]))

    async def _app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"]
        client = scope.get("client") or ("", 0)
        request = Request(path, int(client[1]), clock.now() - self.origin)
        self.requests.append(request)
        status, body = await self._answer(path, receive)
        if status is None:  # the client went away first
            request.ended = clock.now() - self.origin
            return
        kind = b"text/plain" if path == "/robots.txt" else b"text/html"
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", kind + b"; charset=utf-8")]})
        await send({"type": "http.response.body", "body": body.encode()})
        request.ended, request.status = clock.now() - self.origin, status

    async def _answer(self, path: str, receive: Any) -> tuple[int | None, str]:
        """The status and body for path, after its latency; None when the client leaves first."""
        if path == "/robots.txt":
            return 200, self.robots
        page = self.pages.get(path, Page(latency=0.0, missing=True))
        seen = self._served.get(path, 0)
        self._served[path] = seen + 1
        delay = math.inf if page.hangs else clock.scaled(page.latency)
        if not await _stays(receive, delay):
            return None, ""
        if page.missing:
            return 404, "<html><body>Not found</body></html>"
        if seen < page.fails:
            return 503, "<html><body>Busy, try again</body></html>"
        return 200, page.html(path)


async def _stays(receive: Any, delay: float) -> bool:
    """Wait `delay` seconds; False as soon as the client disconnects (it gave up waiting)."""
    async def gone() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(gone())
    try:
        await asyncio.wait_for(asyncio.shield(watcher), None if math.isinf(delay) else delay)
        return False
    except TimeoutError:
        return True
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


def in_flight(requests: list[Request], gave_up_after: float = math.inf) -> int:
    """The most requests in flight at the same moment (see Request.over_by)."""
    ends = [r.over_by(gave_up_after) for r in requests]
    edges = sorted([(r.started, 1) for r in requests] + [(end, -1) for end in ends])
    peak = current = 0
    for _at, step in edges:  # at equal times an end sorts first (-1 < 1): back to back is not overlap
        current += step
        peak = max(peak, current)
    return peak


WIDTH = 40
MAX_ROWS = 24


def render(requests: list[Request], until: float) -> str:
    """A small Gantt chart of the requests: one row each, from its arrival to its end, with the
    TCP connection it came on (#1 is the first connection the site saw)."""
    if not requests:
        return "Timeline: no request reached the site."
    shown = requests[:MAX_ROWS]
    end = max([until, *(r.ended for r in shown if not math.isinf(r.ended))]) or 1e-9
    numbers: dict[int, int] = {}
    for r in requests:
        numbers.setdefault(r.connection, len(numbers) + 1)
    lines = [f"Timeline of the requests the site received (0 to {end:.2f} s; █ answered 200, "
             "▓ 503, · 404, ░ still waiting / given up):"]
    for r in shown:
        first = min(WIDTH - 1, round(r.started / end * WIDTH))
        stop = until if math.isinf(r.ended) else r.ended
        last = max(first + 1, round(stop / end * WIDTH))
        mark = {200: "█", 503: "▓", 404: "·"}.get(r.status or 0, "░")
        bar = (" " * first + mark * (last - first) + " " * WIDTH)[:WIDTH]
        answer = f"{r.status}" if r.status else "no answer"
        lines.append(f"  {r.path:<16} conn #{numbers[r.connection]:<3}|{bar}| "
                     f"{r.started:.2f}-{stop:.2f} s {answer}")
    if len(requests) > len(shown):
        lines.append(f"  ... and {len(requests) - len(shown)} more requests")
    return "\n".join(lines)
