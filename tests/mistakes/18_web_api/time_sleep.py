"""Paces its calls with time.sleep inside the async endpoint: the whole server freezes meanwhile.

expect: blocking-call
"""

import asyncio
import time

import httpx
import uvicorn
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/report/{city}")
async def report(city: str, request: Request):
    time.sleep(0.2)  # "go easy on the backends": every other request waits too
    backends = request.app.state.backends
    client = request.app.state.client
    answers = await asyncio.gather(*(client.get(f"{url}/{city}") for url in backends.values()))
    return {"city": city, **{name: r.json() for name, r in zip(backends, answers)}}


async def serve(host, port, backends):
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=None)) as client:
        app.state.client, app.state.backends = client, backends
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
        try:
            await server.serve()
        finally:
            if server.started:
                await server.shutdown()
