"""The executor: the only process that imports and runs the learner's code.

    python -m grader.witness.executor SOCKET

It connects to the witness before anything of the learner's is imported (so the witness knows its
pid from the kernel), installs the time.sleep tripwire, then does what the witness asks: idle for a
moment (the witness learns what an idle event loop looks like to the kernel), load the solution,
run scenarios. It decides nothing: everything it sends is either a request the witness answers on
its own clock, a value the witness checks, or testimony for the messages.

Imports the testkit's feedback, integrity, loader and watch, and the witness's observe, remote and
wire.
"""

from __future__ import annotations

import asyncio
import base64
import faulthandler
import inspect
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from grader.testkit import integrity, watch
from grader.testkit.feedback import Mistake
from grader.testkit.loader import load_solution
from grader.witness import observe, remote
from grader.witness.wire import BlockingLink


def learner_attribute(path: str, name: str | None) -> Any:
    """What a scenario's reference to the learner's module (or its `name`) resolves to here (see
    witness.scenario): the solution the witness asked this process to load from path."""
    module = load_solution(Path(path))
    return module if name is None else getattr(module, name)


async def _idle(channel: remote.Channel, seconds: float) -> None:
    """Let the loop idle for seconds, or until the witness has seen enough of it and says stop."""
    loop = asyncio.get_running_loop()
    woken = loop.create_future()
    channel.on_stop = lambda: loop.call_soon_threadsafe(_wake, woken)
    try:
        await asyncio.wait([woken], timeout=seconds)
    finally:
        channel.on_stop = lambda: None


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def stack_file(socket_path: str) -> str:
    return socket_path + ".stack"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        raise SystemExit("usage: python -m grader.witness.executor SOCKET")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(argv[0])
    channel = remote.Channel(BlockingLink(sock))
    # On SIGUSR1 (sent by the witness when the loop stops answering) the main thread's stack is
    # written beside the socket, so a hang can name the line it is stuck on.
    stack = open(stack_file(argv[0]), "w")  # noqa: SIM115 - kept open for faulthandler
    faulthandler.register(signal.SIGUSR1, file=stack, all_threads=False)
    watch.install_tripwire()
    integrity.take_snapshot()
    channel.send({"kind": "hello", "pid": os.getpid()})
    while True:
        message = channel.control.get()
        kind = message["kind"]
        if kind == "idle":
            asyncio.run(_idle(channel, float(message.get("seconds", 0.05))))
            channel.send({"kind": "idled"})
        elif kind == "load":
            channel.send(_load(Path(str(message["path"]))))
        elif kind == "trial":
            _trial(channel, message)
        else:  # "bye", or the witness went away
            return 0


def _load(path: Path) -> dict[str, Any]:
    try:
        module = load_solution(path)
    except Mistake as mistake:
        return {"kind": "loaded", "mistake": [mistake.code, mistake.happened, mistake.expected,
                                              mistake.next_step]}
    names = {name: _kind(value) for name, value in list(vars(module).items())
             if not name.startswith("_")}
    return {"kind": "loaded", "names": names}


def _kind(value: Any) -> str:
    if inspect.iscoroutinefunction(value):
        return "coroutine function"
    if inspect.isclass(value):
        return "class"
    if inspect.ismodule(value):
        return "module"
    return "function" if callable(value) else "value"


def _trial(channel: remote.Channel, message: dict[str, Any]) -> None:
    import cloudpickle

    number = int(message["trial"])
    try:
        scenario = cloudpickle.loads(base64.b64decode(message["scenario"]))
    except Exception as exc:  # the kit's own scenario could not be rebuilt here
        channel.send({"kind": "returned", "trial": number, "broken": f"{type(exc).__name__}: {exc}"})
        channel.send({"kind": "finished", "trial": number, "testimony": {}})
        return
    testimony = observe.run_scenario(channel, number, scenario, list(message["services"]),
                                     float(message["budget"]))
    testimony["tampered"] = integrity.check_and_restore()  # put back, so the next trial is honest
    channel.send({"kind": "finished", "trial": number, "testimony": testimony})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
