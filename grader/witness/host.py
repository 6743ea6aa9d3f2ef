"""The witness's side of the link: the executor it talks to, and each trial served on its own clock.

One event loop in a thread of the witness owns the socket for the whole session. For a trial it
sends the scenario, then answers each request itself: it stamps the arrival, holds the reply for the
service's latency (its own timer, its own clock), then sends the secret body or the error, and
acknowledges a cancellation after a short hold. The learner's result arrives as JSON and is decoded
here. Everything a point depends on (calls, overlap, order, cancellations, wall time, loop stalls)
is recorded in this process, which the learner's code cannot reach.

Imports the testkit's blocking, clock, feedback and services, and the witness's bridge, sampler,
values and wire.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.testkit import clock
from grader.testkit.blocking import BlockingService
from grader.testkit.feedback import Mistake
from grader.testkit.services import Call, Event, FakeService, Probe
from grader.witness import bridge, sampler
from grader.witness.values import decode
from grader.witness.wire import HEADER, LISTEN_ENV, WireError, frame_size, pack, unpack

CONNECT_TIMEOUT = 60.0                 # seconds for the executor to start and say hello
CANCEL_HOLD = 0.05                     # seconds a cancellation takes to be acknowledged (a round trip)
# Seconds the executor idles at most so the witness learns the idle call (the witness says stop
# once it has seen enough: the first trial waits for this), longer each time the witness saw too
# little (busy starting pytest, or on a loaded machine).
IDLE_PROBES = (0.05, 0.1, 0.2)
STOP_GRACE = 1.0                       # seconds the executor gets to stop a trial past its budget
FINISH_GRACE = 3.0                     # seconds for the testimony after the return


@dataclass
class Served:
    """What the witness saw of one trial."""

    started: float
    returned_at: float | None = None
    reply: dict[str, Any] = field(default_factory=dict)
    testimony: dict[str, Any] = field(default_factory=dict)
    hung: bool = False                  # never answered even the stop: the loop is stuck
    stuck_at: list[str] = field(default_factory=list)  # the stuck thread's stack, innermost first
    gone: str = ""                      # the executor died or closed the link
    reading: sampler.Reading = field(default_factory=lambda: sampler.Reading(False))
    late: int = 0                       # requests and records that came after the return
    returns: int = 0                    # "returned" messages (more than one: someone forged one)
    errors: dict[str, BaseException] = field(default_factory=dict)  # token -> the error it stands for
    stopped_at: float | None = None     # when the witness asked the learner's code to stop


@dataclass
class Running:
    """A trial begun and not yet finished (a learner's server the witness's clients talk to)."""

    served: Served
    trial: _Trial | None = None
    watch: sampler.Sampler | None = None

    @property
    def returned(self) -> bool:
        """The learner's code has returned (or raised, or its process is gone)."""
        return self.trial is None or self.trial.returned.is_set()


class Executor:
    """The link to the learner's process, for the whole session."""

    def __init__(self) -> None:
        self.pid = 0
        self.idle: set[str] = set()
        self.own_threads: set[int] = set()
        self.dead = ""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="grader-witness",
                                        daemon=True)
        self._thread.start()
        self._writer: asyncio.StreamWriter | None = None
        self._inbox: asyncio.Queue[dict[str, Any]] | None = None
        self._handler: Callable[[dict[str, Any]], None] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._reading: asyncio.Task[None] | None = None
        self._folder = ""
        self.socket_path = ""
        self.bridge = bridge.Bridge(None, 0)

    # -- starting --------------------------------------------------------------------------------

    def start(self) -> None:
        """Wait for the executor: the grader's (in its sandbox) or a local one started here."""
        handed = os.environ.get(LISTEN_ENV)
        if handed:
            listener = socket.socket(fileno=int(handed))
            self.socket_path = str(listener.getsockname())
        else:
            self._folder = tempfile.mkdtemp(prefix="grader-witness-")
            path = os.path.join(self._folder, "executor.sock")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(path)
            listener.listen(1)
            self.socket_path = path
            self._process = subprocess.Popen([sys.executable, "-m", "grader.witness.executor", path])
        self._call(self._accept(listener), CONNECT_TIMEOUT)
        hello = self._call(self._next(), CONNECT_TIMEOUT)
        self.pid = _peer_pid(self._writer) or int(hello.get("pid", 0))
        self.bridge = bridge.attach(self.pid)  # before any of the learner's code is loaded
        for seconds in IDLE_PROBES:
            self._send({"kind": "idle", "seconds": seconds})
            self.idle = sampler.idle_calls(self.pid, seconds * 0.8)
            self._send({"kind": "stop"})
            self._call(self._next("idled"), CONNECT_TIMEOUT)
            if self.idle or sampler.read(self.pid) is None:  # learned, or no kernel view here
                break
        self.own_threads = sampler.threads_of(self.pid)  # before any of the learner's code ran

    async def _accept(self, listener: socket.socket) -> None:
        listener.setblocking(False)
        try:
            conn, _ = await self._loop.sock_accept(listener)
        finally:
            listener.close()  # one executor per session: nobody else may connect later
        reader, self._writer = await asyncio.open_unix_connection(sock=conn, limit=2**23)
        self._inbox = asyncio.Queue()
        self._reading = self._loop.create_task(self._read(reader))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        assert self._inbox is not None
        try:
            while True:
                header = await reader.readexactly(HEADER.size)
                message = unpack(await reader.readexactly(frame_size(header)))
                message["at"] = clock.now()
                if self._handler is not None and message["kind"] not in ("hello", "idled", "loaded"):
                    self._handler(message)
                else:
                    self._inbox.put_nowait(message)
        except (asyncio.IncompleteReadError, ConnectionError, WireError, OSError) as exc:
            self.dead = self.dead or f"the link closed ({type(exc).__name__})"
            if isinstance(exc, WireError):  # it broke the protocol: nothing more it says counts
                self.dead = f"it sent something that is not a message of the grader's ({exc})"
                if self._writer is not None:
                    self._writer.close()
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(self.pid, signal.SIGKILL)
            closed = {"kind": "closed", "at": clock.now()}
            if self._handler is not None:
                self._handler(closed)
            self._inbox.put_nowait(closed)

    async def _next(self, kind: str | None = None) -> dict[str, Any]:
        assert self._inbox is not None
        while True:
            message = await self._inbox.get()
            if kind is None or message["kind"] in (kind, "closed"):
                return message

    def _call(self, coro: Any, timeout: float) -> Any:
        future = asyncio.run_coroutine_threadsafe(asyncio.wait_for(coro, timeout), self._loop)
        return future.result()

    def _send(self, message: dict[str, Any]) -> None:
        self._loop.call_soon_threadsafe(self._write, message)

    def _write(self, message: dict[str, Any]) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(pack(message))

    # -- loading ---------------------------------------------------------------------------------

    def load(self, path: Path) -> dict[str, str]:
        """The learner's public names and their kinds; a Mistake when the file does not import."""
        if self.dead:
            raise Mistake("crashed", f"Your code stopped the grader's helper process ({self.dead}).",
                          "the solution to load and run normally")
        self._send({"kind": "load", "path": str(path)})
        loaded = self._call(self._next("loaded"), CONNECT_TIMEOUT)
        if loaded["kind"] == "closed":
            raise Mistake("crashed", "Importing your solution ended its process (sys.exit or "
                          "os._exit at the top level?).", "the file to import without side effects")
        if "mistake" in loaded:
            code, happened, expected, next_step = loaded["mistake"]
            raise Mistake(str(code), str(happened), str(expected), str(next_step))
        return {str(k): str(v) for k, v in dict(loaded.get("names", {})).items()}

    # -- one trial ------------------------------------------------------------------------------

    def serve(self, number: int, scenario: str, kit: Any, budget: float) -> Served:
        """Run a trial to its end: the learner's code returns, or is stopped past its budget."""
        return self.finish(self.begin(number, scenario, kit, budget), wait=budget + 0.25)

    def begin(self, number: int, scenario: str, kit: Any, budget: float) -> Running:
        """Send the trial and start watching; the learner's code runs while the caller goes on."""
        served = Served(started=clock.now())
        if self.dead:
            served.gone = self.dead
            return Running(served)
        return self._call(self._begin(number, scenario, kit, budget, served), CONNECT_TIMEOUT)

    async def _begin(self, number: int, scenario: str, kit: Any, budget: float,
                     served: Served) -> Running:
        trial = _Trial(self, number, kit, served)
        self._handler = trial.handle
        watch = sampler.Sampler(self.pid, self.idle, self.own_threads)
        served.started = kit.origin = clock.now()
        for made in [*kit.declared, *kit.recorders]:
            made._origin = kit.origin
        self._write({"kind": "trial", "trial": number, "scenario": scenario, "budget": budget,
                     "services": _declared(kit)})
        watch.start()
        return Running(served, trial, watch)

    def finish(self, running: Running, wait: float = 0.0) -> Served:
        """Give the learner's code `wait` more seconds to return, then stop it; the testimony."""
        if running.trial is None:
            return running.served
        future = asyncio.run_coroutine_threadsafe(self._finish(running, wait), self._loop)
        return future.result()

    async def _finish(self, running: Running, wait: float) -> Served:
        trial, served = running.trial, running.served
        assert trial is not None and running.watch is not None
        try:
            if not await trial.wait(trial.returned, wait):
                served.stopped_at = clock.now()
                self._write({"kind": "stop", "trial": trial.number})
                if not await trial.wait(trial.returned, STOP_GRACE):
                    served.hung = True
            if not served.hung:
                await trial.wait(trial.finished, FINISH_GRACE)
        finally:
            served.reading = running.watch.stop(until=served.returned_at)
            self._handler = None
            trial.close()
        if served.hung:
            served.stuck_at = self.stack()
            self.kill()
        return served

    def stack(self) -> list[str]:
        """Where the executor's loop thread is stuck: its stack, written on SIGUSR1 (faulthandler)."""
        if not self.socket_path:
            return []
        path = Path(self.socket_path + ".stack")
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(self.pid, signal.SIGUSR1)
            for _ in range(20):
                clock.real_sleep(0.025)
                if path.exists() and path.stat().st_size:
                    break
        try:
            text = path.read_text(errors="replace")[:20000]
        except OSError:
            return []
        return [line.strip() for line in text.splitlines() if line.strip().startswith("File ")]

    def kill(self) -> None:
        """Stop an executor whose loop no longer answers: nothing more can be learned from it."""
        self.dead = self.dead or "its event loop stopped answering"
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(self.pid, 9)

    def close(self) -> None:
        self._send({"kind": "bye"})
        self.bridge.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        with contextlib.suppress(Exception):
            self._call(self._shut(), 5.0)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if self._folder:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(self._folder, "executor.sock"))
                os.rmdir(self._folder)


    async def _shut(self) -> None:
        if self._reading is not None:
            self._reading.cancel()
            with contextlib.suppress(BaseException):
                await self._reading
        if self._writer is not None:
            self._writer.close()


def _declared(kit: Any) -> list[dict[str, str]]:
    return [{"name": made.name, "kind": _kind(made)} for made in kit.declared]


def _kind(made: Any) -> str:
    if isinstance(made, Probe):
        return "probe"
    return "blocking" if isinstance(made, BlockingService) else "async"


def _peer_pid(writer: asyncio.StreamWriter | None) -> int:
    """The executor's pid as the kernel knows it (SO_PEERCRED), in the witness's pid namespace."""
    sock = writer.get_extra_info("socket") if writer is not None else None
    if sock is None or not hasattr(socket, "SO_PEERCRED"):
        return 0
    import struct

    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[0]


class _Trial:
    """The witness's bookkeeping for one trial: every call, its timer, and the learner's reply."""

    def __init__(self, executor: Executor, number: int, kit: Any, served: Served) -> None:
        self.executor, self.number, self.kit, self.served = executor, number, kit, served
        self.calls: dict[int, tuple[FakeService, Call]] = {}
        self.timers: dict[int, asyncio.TimerHandle] = {}
        self.errors = served.errors
        self.acks: dict[int, asyncio.TimerHandle] = {}
        self.tokens: dict[int, str] = {}
        self.returned = asyncio.Event()
        self.finished = asyncio.Event()

    async def wait(self, event: asyncio.Event, timeout: float) -> bool:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await event.wait()
        return event.is_set()

    def now(self) -> float:
        return clock.now() - self.kit.origin

    def handle(self, message: dict[str, Any]) -> None:
        kind = message["kind"]
        if kind == "closed":
            self.served.gone = self.executor.dead or "the link closed"
            self.returned.set()
            self.finished.set()
            return
        if message.get("trial") != self.number:
            return  # from an earlier trial's leftovers: that trial is over
        handler = getattr(self, f"_on_{kind}", None)
        if handler is not None:
            handler(message)

    def _service(self, index: Any) -> FakeService | None:
        found = self._declared(index)
        return found if isinstance(found, FakeService) else None

    def _declared(self, index: Any) -> FakeService | Probe | None:
        if isinstance(index, int) and 0 <= index < len(self.kit.declared):
            return self.kit.declared[index]
        return None

    def _on_called(self, message: dict[str, Any]) -> None:
        svc = self._service(message.get("service"))
        number = message.get("call")
        if svc is None or not isinstance(number, int) or number in self.calls:
            return
        call = Call(arg=decode(message.get("arg"), {}), called_at=self.now(),
                    site=_site(message.get("site")))
        svc.calls.append(call)
        self.calls[number] = (svc, call)

    def _on_request(self, message: dict[str, Any]) -> None:
        probe = self._declared(message.get("service"))
        if isinstance(probe, Probe):
            try:
                value = probe.respond(self.now())
            except Exception:
                value = None
            self._send_reply(int(message.get("call", 0)), {"ok": True, "body": value})
            return
        svc = self._service(message.get("service"))
        number = message.get("call")
        if svc is None or not isinstance(number, int):
            return
        if number not in self.calls:  # a blocking call says both at once
            self._on_called(message)
        _svc, call = self.calls[number]
        if call.started_at is not None:
            return  # one request per call
        call.arg = decode(message.get("arg"), {})
        call.started_at = self.now()
        call.outcome = "running"
        call.thread = 0 if message.get("main") else 1
        if self.served.returned_at is not None:
            self.served.late += 1
        if isinstance(svc, BlockingService) and message.get("on_loop"):
            svc.loop_calls.append(call)
        svc.in_flight += 1
        svc.peak = max(svc.peak, svc.in_flight)
        try:
            delay = svc.latency(call.arg)
        except (KeyError, TypeError, ValueError):
            delay = 0.0
        loop = asyncio.get_running_loop()
        self.timers[number] = loop.call_later(delay, self._answer, number)

    def _answer(self, number: int) -> None:
        self.timers.pop(number, None)
        svc, call = self.calls[number]
        try:
            error = svc.failure(call.arg)
            body = svc.body_for(call)
        except (KeyError, TypeError, ValueError):
            error, body = LookupError(f"{svc.name} knows nothing of {call.arg!r}"), None
        svc.in_flight -= 1
        call.ended_at = self.now()
        if error is not None:
            call.outcome, call.error = "error", error
            self._send_reply(number, {"ok": False, "error": self._error(error)})
        else:
            call.outcome, call.body = "ok", body
            self._send_reply(number, {"ok": True, "body": body})

    def _error(self, error: BaseException) -> dict[str, Any]:
        token = self.tokens.setdefault(id(error), secrets.token_hex(8))
        self.errors[token] = error
        return {"type": type(error).__name__, "args": [a for a in error.args
                                                       if isinstance(a, str | int | float)],
                "token": token}

    def _send_reply(self, number: int, body: dict[str, Any]) -> None:
        self.executor._write({"kind": "reply", "call": number, **body})

    def _on_cancel(self, message: dict[str, Any]) -> None:
        number = message.get("call")
        if not isinstance(number, int) or number not in self.calls:
            return
        _svc, call = self.calls[number]
        timer = self.timers.pop(number, None)
        if timer is None:  # already answered: the reply and the cancel crossed
            self.executor._write({"kind": "ack", "call": number})
            return
        timer.cancel()
        call.outcome = "cancelling"
        call.cancelled_at = self.now()
        self.acks[number] = asyncio.get_running_loop().call_later(CANCEL_HOLD, self._acknowledge,
                                                                  number)

    def _acknowledge(self, number: int, send: bool = True) -> None:
        self.acks.pop(number, None)
        svc, call = self.calls[number]
        svc.in_flight -= 1
        call.outcome = "cancelled"
        call.ended_at = self.now()
        if send:
            self.executor._write({"kind": "ack", "call": number})

    def _on_record(self, message: dict[str, Any]) -> None:
        name = str(message.get("name"))
        found = next((r for r in self.kit.recorders if r.name == name), None)
        if found is None:
            found = self.kit.recorder(name)
            found._origin = self.kit.origin
        if self.served.returned_at is not None:
            self.served.late += 1
        found.events.append(Event(self.now(), decode(message.get("value"), self.errors)))

    def _on_returned(self, message: dict[str, Any]) -> None:
        self.served.returns += 1
        if self.served.returned_at is None:
            self.served.returned_at = message["at"]
            self.served.reply = message
            self.returned.set()

    def _on_finished(self, message: dict[str, Any]) -> None:
        testimony = message.get("testimony")
        self.served.testimony = testimony if isinstance(testimony, dict) else {}
        self.finished.set()

    def close(self) -> None:
        """The trial is over: calls still held are cut (their timers cancelled), never answered;
        cancellations still being acknowledged end now (after the return, so they count as late)."""
        for number, timer in list(self.timers.items()):
            timer.cancel()
            svc, _call = self.calls[number]
            svc.in_flight -= 1
        self.timers.clear()
        for number, timer in list(self.acks.items()):
            timer.cancel()
            self._acknowledge(number, send=False)


def _site(raw: Any) -> tuple[str, int] | None:
    if isinstance(raw, list) and len(raw) == 2 and isinstance(raw[0], str) and isinstance(raw[1], int):
        return raw[0], raw[1]
    return None
