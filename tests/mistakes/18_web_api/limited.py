"""Serves at most forty requests at a time (a semaphore around the endpoint): the other sixty wait
for a turn, so a hundred clients are not served at once.

expect: too-few-at-once
"""

import asyncio

import httpx
import uvicorn
from fastapi import FastAPI, Request

app = FastAPI()
turns = asyncio.Semaphore(40)


@app.get("/report/{city}")
async def report(city: str, request: Request):
    async with turns:  # forty at a time; the rest wait here
        client, backends = request.app.state.client, request.app.state.backends
        answers = await asyncio.gather(*(client.get(f"{url}/{city}") for url in backends.values()))
    return {"city": city, **{name: a.json() for name, a in zip(backends, answers, strict=True)}}


async def serve(host, port, backends):
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=None)) as client:
        app.state.client, app.state.backends = client, backends
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
        try:
            await server.serve()
        finally:
            if server.started:
                await server.shutdown()
