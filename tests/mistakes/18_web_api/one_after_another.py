"""Awaits the three backends one after another: every request takes three backend calls.

expect: sequential
"""

import httpx
import uvicorn
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/report/{city}")
async def report(city: str, request: Request):
    report = {"city": city}
    for name, url in request.app.state.backends.items():
        response = await request.app.state.client.get(f"{url}/{city}")  # waits before the next
        report[name] = response.json()
    return report


async def serve(host, port, backends):
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=None)) as client:
        app.state.client, app.state.backends = client, backends
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
        try:
            await server.serve()
        finally:
            if server.started:
                await server.shutdown()
