"""Calls the backends with a sync client (httpx.Client) inside `async def`: each call holds the loop.

expect: blocking-call
"""

import httpx
import uvicorn
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/report/{city}")
async def report(city: str, request: Request):
    report = {"city": city}
    with httpx.Client() as client:  # a sync client: get() waits without giving the loop back
        for name, url in request.app.state.backends.items():
            report[name] = client.get(f"{url}/{city}").json()
    return report


async def serve(host, port, backends):
    app.state.backends = backends
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    try:
        await server.serve()
    finally:
        if server.started:
            await server.shutdown()
