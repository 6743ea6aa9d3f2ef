"""Tamper evidence in the executor: the callables the kit relies on there, snapshotted before the
solution is imported.

After each trial the executor compares them with what is there now, puts the originals back (so the
next trial runs the kit's own code) and reports the change as testimony: the witness then fails the
tests that used that trial with `tampering`. It can only cost points: the evidence that earns them
is the witness's.

Imports the testkit's blocking, clock, services and watch.
"""

from __future__ import annotations

import asyncio
import time
from types import ModuleType
from typing import Any

from grader.testkit import blocking, clock, services, watch

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
    (blocking.BlockingService, "__call__"),
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
    _deep_snapshot()


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
    changed += [name for name in _deep_check() if name not in changed]
    _incidents.extend(name for name in changed if name not in _incidents)
    return changed


# -- Beyond the named callables: whole modules, code objects, builtins and pytest's hook registry.
# A solution runs in the tests' process, so it could also swap a checker, rewrite a function's
# __code__, register a pytest plugin that rewrites reports, or patch pytest's reporting itself.
# Everything below is checked (and put back) with the named callables. This is tamper evidence:
# code in the same process can always dig deeper; the grader's parent-side checks back it up.

# What the executor's own work runs on. pytest is not here: it runs in the witness, so a solution
# patching the executor's copy (loaded there when the executor is forked warm) changes nothing.
_DEEP_PREFIXES = ("grader.", "asyncio.", "json.", "hmac")
_DEEP_EXACT = ("grader", "asyncio", "json", "time", "builtins", "hmac")
# Builtins a solution may rebind harmlessly (or that interactive tools rebind).
_FREE_BUILTINS = {"print", "input", "help", "breakpoint", "exit", "quit", "copyright", "credits",
                  "license", "_"}
_deep: list[tuple[Any, str, Any]] = []
_codes: list[tuple[Any, Any, Any, Any]] = []
_incidents: list[str] = []


def _watched_modules() -> list[ModuleType]:
    import sys

    found = [m for name, m in sorted(sys.modules.items()) if isinstance(m, ModuleType)
             and (name in _DEEP_EXACT or name.startswith(_DEEP_PREFIXES))]
    return found


def _functions(value: Any) -> list[Any]:
    if isinstance(value, staticmethod | classmethod):
        value = value.__func__
    if isinstance(value, property):
        return [f for f in (value.fget, value.fset, value.fdel) if f is not None]
    inner = getattr(value, "_fixture_function", None)  # a pytest fixture wraps its function
    if inner is not None and hasattr(inner, "__code__"):
        return [inner]
    return [value] if hasattr(value, "__code__") and hasattr(value, "__defaults__") else []


def _deep_snapshot() -> None:
    """Every function and class of the watched modules, and each function's code and defaults."""
    _deep.clear()
    _codes.clear()
    seen: set[int] = set()
    for module in _watched_modules():
        for name, value in list(vars(module).items()):
            if module.__name__ == "builtins" and name in _FREE_BUILTINS:
                continue
            if callable(value) or isinstance(value, staticmethod | classmethod | property):
                _deep.append((module, name, value))
            if (isinstance(value, type) and value.__module__ == module.__name__
                    and id(value) not in seen):
                seen.add(id(value))
                for attr, member in list(vars(value).items()):
                    if _functions(member):
                        _deep.append((value, attr, member))
    for _owner, _name, value in _deep:
        for function in _functions(value):
            if id(function) not in seen:
                seen.add(id(function))
                _codes.append((function, function.__code__, function.__defaults__,
                               function.__kwdefaults__))


def _deep_check() -> list[str]:
    changed = []
    for owner, name, original in _deep:
        if vars(owner).get(name) is not original:
            changed.append(_label(owner, name))
            setattr(owner, name, original)
    for function, code, defaults, kwdefaults in _codes:
        if (function.__code__ is not code or function.__defaults__ is not defaults
                or function.__kwdefaults__ is not kwdefaults):
            changed.append(f"{function.__module__}.{function.__qualname__}.__code__")
            function.__code__, function.__defaults__ = code, defaults
            function.__kwdefaults__ = kwdefaults
    return changed


def incidents() -> list[str]:
    """Every change found so far in this process (a solution cannot hide one by rewriting a report)."""
    return list(_incidents)
