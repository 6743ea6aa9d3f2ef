"""A plain `def` endpoint with a sync client: FastAPI runs it in its thread pool, 40 at a time.

expect: threadpool-bound
"""

import httpx
import uvicorn
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/report/{city}")
def report(city: str, request: Request):
    # A `def` endpoint runs in a worker thread, so the event loop stays free; but the pool has 40
    # threads, and each is held for the whole request.
    report = {"city": city}
    with httpx.Client() as client:
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
