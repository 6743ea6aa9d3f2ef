"""Serves well, but only awaits uvicorn's serve(): cancelled, it never shuts down, and uvicorn's
lifespan task is left running.

expect: leaked-task
"""

import asyncio

import httpx
import uvicorn
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/report/{city}")
async def report(city: str, request: Request):
    clients = request.app.state.clients
    answers = await asyncio.gather(*(c.get(f"/{city}") for c in clients.values()))
    return {"city": city, **{name: r.json() for name, r in zip(clients, answers, strict=True)}}


async def serve(host, port, backends):
    limits = httpx.Limits(max_connections=None)
    app.state.clients = {name: httpx.AsyncClient(base_url=url, limits=limits)
                         for name, url in backends.items()}
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    await uvicorn.Server(config).serve()  # cancelled here: no shutdown, the socket stays open
