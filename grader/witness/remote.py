"""The executor's side of the link: what the learner's code is handed, and the one reader thread.

Every fake service the learner receives is a plain function (named like the service, with nothing
to read or write on it) that asks the witness for the answer. An async service returns a coroutine:
calling it says "called" (so a forgotten await shows as called but never requested), awaiting it sends
the request and waits for the witness's reply; a cancelled request tells the witness and waits for its
acknowledgement, as closing a real connection takes a round trip, so a cancel that is not awaited is
still in progress when the learner's function returns. A blocking service blocks its thread until the
reply. A recorder sends each value. Replies reach the waiting loop (or thread) through the reader.

Imported in the learner's process only; it holds no evidence, only messages.

Imports the witness's values and wire only.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import itertools
import queue
import sys
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from grader.witness.values import TOKEN_ATTRIBUTE, encode
from grader.witness.wire import BlockingLink


class Channel:
    """The executor's link to the witness: serialised sends, replies routed to their waiters."""

    def __init__(self, link: BlockingLink) -> None:
        self.link = link
        self.control: queue.Queue[dict[str, Any]] = queue.Queue()
        self.on_stop: Callable[[], None] = lambda: None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._waiting: dict[int, Callable[[dict[str, Any]], None]] = {}
        self._reader = threading.Thread(target=self._read, name="grader-link", daemon=True)
        self._reader.start()

    def new_id(self) -> int:
        with self._lock:
            return next(self._ids)

    def send(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            self.link.send(message)

    def expect(self, number: int, deliver: Callable[[dict[str, Any]], None]) -> None:
        with self._lock:
            self._waiting[number] = deliver

    def forget(self, number: int) -> None:
        with self._lock:
            self._waiting.pop(number, None)

    def _read(self) -> None:
        while True:
            try:
                message = self.link.receive()
            except Exception:
                message = None
            if message is None:
                self.control.put({"kind": "closed"})
                return
            if message["kind"] in ("reply", "ack"):
                with self._lock:
                    deliver = self._waiting.pop(int(message.get("call", 0)), None)
                if deliver is not None:
                    deliver(message)
            elif message["kind"] == "stop":
                self.on_stop()
            else:
                self.control.put(message)


def _deliver_to(loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any]) -> Callable[[Any], None]:
    def deliver(message: dict[str, Any]) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(_settle, future, message)
    return deliver


def _settle(future: asyncio.Future[Any], message: dict[str, Any]) -> None:
    if not future.done():
        future.set_result(message)


def _site(depth: int = 2) -> list[Any]:
    frame = sys._getframe(depth)
    return [frame.f_code.co_filename, frame.f_lineno]


def _answer(message: dict[str, Any]) -> Any:
    if message.get("ok"):
        return message.get("body")
    raise _error(message.get("error") or {})


def _error(data: dict[str, Any]) -> BaseException:
    """The witness's error, rebuilt as the same built-in type; its token shows it came from there."""
    kind = getattr(builtins, str(data.get("type")), None)
    if not (isinstance(kind, type) and issubclass(kind, Exception)):
        kind = RuntimeError
    error = kind(*[a for a in data.get("args", []) if isinstance(a, str | int | float)])
    setattr(error, TOKEN_ATTRIBUTE, data.get("token"))
    return error


def async_service(channel: Channel, trial: int, index: int, name: str) -> Callable[[Any], Any]:
    def service(arg: Any) -> Coroutine[Any, Any, Any]:
        number = channel.new_id()
        channel.send({"kind": "called", "trial": trial, "call": number, "service": index,
                      "site": _site(), "arg": encode(arg)})
        coro = _request(channel, trial, number, index, arg)
        coro.__name__ = coro.__qualname__ = name  # a pending task reads "running fetch()"
        return coro

    service.__name__ = service.__qualname__ = name
    return service


async def _request(channel: Channel, trial: int, number: int, index: int, arg: Any) -> Any:
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[dict[str, Any]] = loop.create_future()
    channel.expect(number, _deliver_to(loop, answer))
    channel.send({"kind": "request", "trial": trial, "call": number, "service": index,
                  "arg": encode(arg), "main": threading.current_thread() is threading.main_thread()})
    try:
        message = await answer
    except asyncio.CancelledError:
        await _cancel(channel, trial, number, loop)
        raise
    return _answer(message)


async def _cancel(channel: Channel, trial: int, number: int, loop: asyncio.AbstractEventLoop) -> None:
    """Tell the witness, and wait for its acknowledgement (unless cancelled once more)."""
    acknowledged: asyncio.Future[dict[str, Any]] = loop.create_future()
    channel.expect(number, _deliver_to(loop, acknowledged))
    channel.send({"kind": "cancel", "trial": trial, "call": number})
    with contextlib.suppress(asyncio.CancelledError):
        await acknowledged
    channel.forget(number)


def blocking_service(channel: Channel, trial: int, index: int, name: str) -> Callable[[Any], Any]:
    def service(arg: Any) -> Any:
        return _blocking_call(channel, trial, index, arg)

    service.__name__ = service.__qualname__ = name
    return service


def probe(channel: Channel, trial: int, index: int, name: str) -> Callable[[], Any]:
    def ask() -> Any:
        return _blocking_call(channel, trial, index, None)

    ask.__name__ = ask.__qualname__ = name
    return ask


def _blocking_call(channel: Channel, trial: int, index: int, arg: Any) -> Any:
    """Send the request and block this thread until the witness answers."""
    number = channel.new_id()
    done = threading.Event()
    box: list[dict[str, Any]] = []

    def deliver(message: dict[str, Any]) -> None:
        box.append(message)
        done.set()

    channel.expect(number, deliver)
    on_loop = asyncio._get_running_loop() is not None
    channel.send({"kind": "request", "trial": trial, "call": number, "service": index,
                  "arg": encode(arg), "site": _site(3), "on_loop": on_loop, "blocking": True,
                  "main": threading.current_thread() is threading.main_thread()})
    done.wait()
    return _answer(box[0])


def recorder(channel: Channel, trial: int, name: str) -> Callable[[Any], None]:
    def record(value: Any) -> None:
        channel.send({"kind": "record", "trial": trial, "name": name, "value": encode(value)})

    record.__name__ = record.__qualname__ = name
    return record
