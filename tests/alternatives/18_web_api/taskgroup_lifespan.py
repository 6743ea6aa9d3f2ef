"""A web API built by a factory: the client lives in the app's lifespan, a TaskGroup asks the
backends, and uvicorn is told to exit (and awaited) when serve() is cancelled."""

import asyncio
import contextlib

import httpx
import uvicorn
from fastapi import FastAPI


def make_app(backends):
    @contextlib.asynccontextmanager
    async def lifespan(app):
        # One client for the app's whole life, no cap on connections at once.
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=None)) as client:
            app.state.client = client
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/report/{city}")
    async def report(city: str):
        client = app.state.client
        async with asyncio.TaskGroup() as group:  # all three in flight; any failure cancels the rest
            tasks = {name: group.create_task(client.get(f"{url}/{city}"))
                     for name, url in backends.items()}
        return {"city": city, **{name: task.result().json() for name, task in tasks.items()}}

    return app


async def serve(host, port, backends):
    server = uvicorn.Server(uvicorn.Config(make_app(backends), host=host, port=port,
                                           log_level="warning"))
    task = asyncio.create_task(server.serve())
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        server.should_exit = True  # uvicorn's own graceful exit: stop listening, close, lifespan end
        await task
        raise
