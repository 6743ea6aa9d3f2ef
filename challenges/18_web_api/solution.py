"""Challenge 18: a web API in front of three slow backends.

GET /report/{city} answers with what the weather, traffic and news backends say about the city.
Each backend takes a few seconds to answer, and a hundred clients ask at once: answer each of them
in about one backend call.
"""

from __future__ import annotations

import asyncio

import httpx
import uvicorn
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/report/{city}")
async def report(city: str, request: Request) -> dict[str, object]:
    """{"city": city, "weather": ..., "traffic": ..., "news": ...}: each backend's JSON answer for
    GET <its URL>/<city>, under the backend's name."""
    # TODO: ask the three backends (their URLs are what serve() was given) at the same time, with
    # an async HTTP client made once in serve(), and combine their answers.
    raise NotImplementedError


async def serve(host: str, port: int, backends: dict[str, str]) -> None:
    """Serve `app` with uvicorn on host:port until cancelled. `backends` maps each backend's name
    ("weather", "traffic", "news") to its URL, e.g. "http://127.0.0.1:40123"."""
    # TODO: keep what `report` needs on `app.state`, run uvicorn on this event loop, and close the
    # server when serve() is cancelled.
    raise NotImplementedError
