"""Tamper evidence: the callables the grader relies on, snapshotted before the solution is imported.

After each test the plugin compares them with what is there now; a difference fails the test with
the `tampering` diagnosis and the originals are put back, so the next test is measured honestly.
"""

from __future__ import annotations

import asyncio
import time
from types import ModuleType
from typing import Any

from grader.testkit import clock, services, watch

_WATCHED: list[tuple[Any, str]] = [
    (time, "perf_counter"), (time, "monotonic"), (time, "time"), (time, "sleep"),
    (time, "thread_time"), (time, "process_time"),
    (asyncio, "sleep"), (asyncio, "gather"), (asyncio, "create_task"), (asyncio, "wait_for"),
    (asyncio, "wait"), (asyncio, "as_completed"), (asyncio, "timeout"), (asyncio, "run"),
    (asyncio, "Runner"), (asyncio, "get_running_loop"), (asyncio, "TaskGroup"),
    (asyncio, "Semaphore"), (asyncio, "Task"), (asyncio.tasks, "sleep"),
    (asyncio.BaseEventLoop, "time"), (asyncio.BaseEventLoop, "call_later"),
    (asyncio.BaseEventLoop, "call_at"), (asyncio.BaseEventLoop, "create_task"),
    (asyncio.BaseEventLoop, "_run_once"),
    (clock, "now"), (clock, "wait_for_delay"), (clock, "pause"), (clock, "time_scale"),
    (clock, "_perf_counter"), (clock, "_call_later"), (clock, "_asyncio_sleep"),
    (services.FakeService, "__call__"), (services.FakeService, "_serve"),
    (services.FakeService, "expected"), (services.FakeService, "latency"),
    (watch.Tripwire, "sleep"), (watch.Heartbeat, "_beat"), (watch.Heartbeat, "stop"),
]

_snapshot: dict[tuple[int, str], Any] = {}


def _label(owner: Any, name: str) -> str:
    prefix = owner.__name__ if isinstance(owner, ModuleType | type) else repr(owner)
    return f"{prefix}.{name}"


def take_snapshot(extra: list[tuple[Any, str]] | None = None) -> None:
    """Remember the current callables; the plugin adds its own functions via extra."""
    _WATCHED.extend(extra or [])
    for owner, name in _WATCHED:
        _snapshot[(id(owner), name)] = owner.__dict__.get(name, getattr(owner, name))


def check_and_restore() -> list[str]:
    """Names of the callables that changed since the snapshot; each is put back."""
    changed = []
    for owner, name in _WATCHED:
        original = _snapshot.get((id(owner), name))
        if original is None:
            continue
        current = owner.__dict__.get(name, getattr(owner, name, None))
        if current is not original:
            changed.append(_label(owner, name))
            setattr(owner, name, original)
    return changed
