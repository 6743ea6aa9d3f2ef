"""HTTP on the bridge (grader/testkit/web.py): a witness-side app served by uvicorn on a socket from
the bridge, reached by a witness-side httpcore client whose connections are the bridge's, through
the relay as under the grader and directly as under plain pytest (loopback only)."""

from __future__ import annotations

import asyncio
import os
import socket
import tempfile
from collections.abc import Iterator

import httpcore
import pytest
from fastapi import FastAPI

from grader.sandbox import relay
from grader.testkit import web
from grader.witness import bridge


@pytest.fixture(params=["relayed", "direct"])
def made(request: pytest.FixtureRequest) -> Iterator[bridge.Bridge]:
    if request.param == "direct":
        yield bridge.Bridge(None, os.getpid())
        return
    folder = tempfile.mkdtemp(prefix="web-relay-test-")
    path = os.path.join(folder, "relay.sock")
    thread = relay.start(relay.open_control(path), path)
    dialled = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dialled.connect(path)
    yield bridge.Bridge(dialled, os.getpid())
    dialled.close()
    thread.join(timeout=2)
    os.rmdir(folder)


def _app(seen: list[str]) -> FastAPI:
    app = FastAPI()

    @app.get("/{name}")
    async def hello(name: str) -> dict[str, str]:
        seen.append(name)
        await asyncio.sleep(0.2)
        return {"hello": name}

    return app


def test_a_witness_app_answers_witness_clients_at_once(made: bridge.Bridge) -> None:
    seen: list[str] = []
    listener = made.listen()
    port = listener.getsockname()[1]
    assert port not in made.learner_listens(), "the witness's own server is not the learner's"

    async def main() -> tuple[list[int], float]:
        async with web.served(_app(seen), listener):
            async def ask(n: int) -> int:
                async with web.client(made) as http:  # the host is ignored: the bridge dials
                    response = await http.request("GET", f"http://127.0.0.1:{port}/u{n}")
                    assert response.content == f'{{"hello":"u{n}"}}'.encode()
                    return response.status
            start = asyncio.get_running_loop().time()
            statuses = await asyncio.gather(*(ask(n) for n in range(20)))
            return list(statuses), asyncio.get_running_loop().time() - start

    statuses, took = asyncio.run(main())
    listener.close()
    assert statuses == [200] * 20 and sorted(seen) == sorted(f"u{n}" for n in range(20))
    assert took < 1.5, f"twenty 0.2 s requests took {took:.2f} s: they were not served side by side"


def test_a_refused_connection_is_httpcores_connect_error(made: bridge.Bridge) -> None:
    port = made.free_port()  # nothing listens there

    async def main() -> None:
        async with web.client(made) as http:
            await http.request("GET", f"http://127.0.0.1:{port}/")

    with pytest.raises(httpcore.ConnectError):
        asyncio.run(main())
