"""Challenge 18 reference: a FastAPI endpoint that asks three slow backends at once.

GET /report/{city} needs the weather, traffic and news backends' answers for that city. Each
backend takes about a second; asked at the same time they take a second together. The endpoint is
an `async def`, so while it waits the event loop serves every other client: a hundred clients at
once cost about one backend call each, not a hundred.
"""

from __future__ import annotations

import asyncio

import httpx
import uvicorn
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/report/{city}")
async def report(city: str, request: Request) -> dict[str, object]:
    """The three backends' answers for `city`, each under its backend's name."""
    clients: dict[str, httpx.AsyncClient] = request.app.state.clients

    async def ask(client: httpx.AsyncClient) -> object:
        response = await client.get(f"/{city}")  # relative to the client's base_url
        response.raise_for_status()
        return response.json()

    # Start all three requests before waiting for any: together they take one backend's time.
    answers = await asyncio.gather(*(ask(client) for client in clients.values()))
    return {"city": city, **dict(zip(clients, answers, strict=True))}


async def serve(host: str, port: int, backends: dict[str, str]) -> None:
    """Serve `app` on host:port until cancelled; `backends` maps each backend's name to its URL."""
    # One client per backend, made once and shared by every request: each keeps its connections
    # to its backend open for the next request. max_connections=None: a hundred requests at once
    # need a hundred connections to each backend (httpx's default pool stops at 100 in all).
    limits = httpx.Limits(max_connections=None)
    clients = {name: httpx.AsyncClient(base_url=url, limits=limits, timeout=10.0)
               for name, url in backends.items()}
    app.state.clients = clients
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    try:
        # serve() runs on the event loop it is awaited on (this one) until it is told to exit.
        await server.serve()
    finally:
        # Cancelled, serve() stops where it was and skips its own shutdown: do it here, so the
        # port stops listening and every connection is closed before serve() ends.
        if server.started:
            await server.shutdown()
        for client in clients.values():
            await client.aclose()
