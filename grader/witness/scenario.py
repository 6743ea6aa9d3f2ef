"""A scenario on the witness's side: what it declares, and how it travels to the executor.

A scenario is the test's function `kit -> awaitable` that calls the learner's code. The witness runs
it once against a recording kit and a stand-in of the learner's module (nothing of the learner's
runs here), which declares the services with their latencies, failures and secret bodies: those
declarations are the truth, whatever the executor later asks for. The same function is then sent to
the executor by value (cloudpickle), with every reference to the learner's module or its functions
turned into a name looked up there.

Imports grader.witness.executor (how the executor looks up a learner's name).
"""

from __future__ import annotations

import ast
import asyncio
import base64
import contextlib
import gc
import io
import types
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cloudpickle

LEARNER_MODULE = "solution"
_STAND_IN = "__grader_learner_name__"


def stand_in_module(names: dict[str, str], filename: str) -> types.ModuleType:
    """A module whose public names mirror the learner's: coroutine functions stay coroutine functions
    (so `require` says the same thing it would say of the real one), anything callable stays callable.
    Where the file itself shows how a name is defined (a plain `def` or an `async def`, undecorated,
    at the top level), the file decides, not what the learner's process said."""
    names = {**names, **syntax_kinds(Path(filename))}
    module = types.ModuleType(LEARNER_MODULE)
    module.__file__ = filename
    setattr(module, _STAND_IN, (filename, None))
    for name, kind in names.items():
        setattr(module, name, _stand_in(filename, name, kind))
    return module


def syntax_kinds(path: Path) -> dict[str, str]:
    """Kinds of the functions the file defines plainly at its top level (the last definition wins)."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return {}
    kinds: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.decorator_list:
            kinds[node.name] = ("coroutine function" if isinstance(node, ast.AsyncFunctionDef)
                                else "function")
        else:
            for target in _bound_names(node):
                kinds.pop(target, None)  # rebound some other way: the learner's process knows best
    return {name: kind for name, kind in kinds.items() if not name.startswith("_")}


def _bound_names(node: ast.stmt) -> list[str]:
    return [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)] + \
        ([node.name] if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) else [])


_declaring: list[bool] = []  # set while a scenario declares its services


def _only_declaring(name: str) -> None:
    if not _declaring:
        raise RuntimeError(f"the learner's {name} runs only in the executor: call it inside a "
                           "scenario passed to run_trial, never directly in a test")


def _stand_in(filename: str, name: str, kind: str) -> Any:
    if kind == "coroutine function":
        async def stand_in(*args: Any, **kwargs: Any) -> Any:  # awaited only if misused
            _only_declaring(name)
    elif kind in ("function", "class"):
        def stand_in(*args: Any, **kwargs: Any) -> Any:
            _only_declaring(name)
    else:
        return types.SimpleNamespace(**{_STAND_IN: (filename, name)})
    stand_in.__name__ = stand_in.__qualname__ = name
    setattr(stand_in, _STAND_IN, (filename, name))
    return stand_in


def declare(scenario: Callable[[Any], Any], kit: Any) -> None:
    """Run the scenario against the recording kit so it declares its services; drop what it made."""
    async def once() -> None:
        try:
            made = scenario(kit)
        except Exception:  # what the learner's code returns may not fit the scenario: that is
            return          # for the executor's run to show; the services are declared by now
        if asyncio.isfuture(made):
            made.cancel()
            with contextlib.suppress(BaseException):
                await made
        elif asyncio.iscoroutine(made):
            made.close()

    _declaring.append(True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with asyncio.Runner() as runner:
                runner.run(once())
            gc.collect()
    finally:
        _declaring.pop()  # the stand-ins' coroutines that were never started go now, silently


class _Pickler(cloudpickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        marker = _marker(obj)
        if marker is not None:
            from grader.witness.executor import learner_attribute

            return learner_attribute, marker
        if isinstance(obj, types.CodeType):  # keep the file name, so messages can name the line
            rebuild, args = cloudpickle.cloudpickle._code_reduce(obj)
            return rebuild, tuple(obj.co_filename if a == "<dynamic-code>" else a for a in args)
        return super().reducer_override(obj)


def _marker(obj: Any) -> tuple[str, str | None] | None:
    """(solution path, name) for a stand-in (name None for the module itself)."""
    if isinstance(obj, type):
        return None
    try:
        marker = obj.__dict__.get(_STAND_IN) if hasattr(obj, "__dict__") else None
    except Exception:
        return None
    return marker if isinstance(marker, tuple) else None


def pack(scenario: Callable[[Any], Any]) -> str:
    """The scenario by value; the test module's own helpers and constants travel with it."""
    module = getattr(scenario, "__module__", None)
    target = __import__("sys").modules.get(module or "")
    if target is not None and not module.startswith("grader"):
        cloudpickle.register_pickle_by_value(target)
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=5).dump(scenario)
    finally:
        if target is not None and not module.startswith("grader"):
            cloudpickle.unregister_pickle_by_value(target)
    return base64.b64encode(buffer.getvalue()).decode()
