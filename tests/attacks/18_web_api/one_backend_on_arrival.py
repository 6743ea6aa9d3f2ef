"""The limited server of tests/mistakes/18_web_api/limited.py, which asks one backend the moment a
request arrives, before the semaphore: every request then has a backend call in flight at once,
hoping to be counted as served at once while sixty of them still wait for a turn.

honest: tests/mistakes/18_web_api/limited.py
attack: writing-evidence
"""

import asyncio

import httpx
import uvicorn
from fastapi import FastAPI, Request

app = FastAPI()
turns = asyncio.Semaphore(40)


@app.get("/report/{city}")
async def report(city: str, request: Request):
    client, backends = request.app.state.client, request.app.state.backends
    names = list(backends)
    early = asyncio.create_task(client.get(f"{backends[names[0]]}/{city}"))  # on arrival, for show
    async with turns:
        rest = await asyncio.gather(*(client.get(f"{backends[n]}/{city}") for n in names[1:]))
    answers = [await early, *rest]
    return {"city": city, **{name: a.json() for name, a in zip(names, answers, strict=True)}}


async def serve(host, port, backends):
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=None)) as client:
        app.state.client, app.state.backends = client, backends
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
        try:
            await server.serve()
        finally:
            if server.started:
                await server.shutdown()
