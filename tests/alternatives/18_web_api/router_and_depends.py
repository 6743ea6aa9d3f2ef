"""A web API with an APIRouter and a dependency that hands each request the shared client; the
backends are asked with asyncio.wait, and uvicorn gets an already-bound socket."""

import asyncio
import socket
from typing import Annotated

import httpx
import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Request

router = APIRouter()


def shared_client(request: Request) -> httpx.AsyncClient:
    return request.app.state.client


@router.get("/report/{city}")
async def report(city: str, request: Request,
                 client: Annotated[httpx.AsyncClient, Depends(shared_client)]):
    backends = request.app.state.backends
    pending = {asyncio.ensure_future(client.get(f"{url}/{city}")): name
               for name, url in backends.items()}
    done, _ = await asyncio.wait(pending)  # every call was started before this wait
    answers = {pending[task]: task.result().json() for task in done}
    return {"city": city, **{name: answers[name] for name in backends}}


app = FastAPI()
app.include_router(router)


async def serve(host, port, backends):
    listener = socket.create_server((host, port), backlog=1024)
    limits = httpx.Limits(max_connections=None)
    async with httpx.AsyncClient(limits=limits) as client:
        app.state.client, app.state.backends = client, backends
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        try:
            await server.serve(sockets=[listener])
        finally:
            if server.started:
                await server.shutdown(sockets=[listener])
            listener.close()
