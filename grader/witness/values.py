"""Values crossing from the learner's process to the witness, as plain JSON.

`encode` runs in the executor (the learner's process) on whatever the learner's code returned or
raised; it only reads exact built-in types and never trusts a learner object's methods beyond a
guarded repr. `decode` runs in the witness and builds plain witness-side objects: an exception the
witness's own service raised comes back as that very object (its token proves the learner received
it), other exceptions as their built-in type or a stand-in class of the same name, coroutines and
tasks as markers the checks recognise. Nothing the learner sends is executed by the witness.

Imports nothing from the kit.
"""

from __future__ import annotations

import asyncio
import builtins
import dataclasses
import inspect
from collections.abc import Mapping
from typing import Any

MAX_DEPTH = 12
MAX_NODES = 20_000
TOKEN_ATTRIBUTE = "__grader_token__"
_SCALARS = (type(None), bool, int, float, str)


# -- the executor's side -------------------------------------------------------------------------

def encode(value: Any) -> Any:
    budget = [MAX_NODES]
    return _encode(value, 0, budget)


def _encode(value: Any, depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        return {"$": "cut"}
    kind = type(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, str):  # a str subclass: keep the characters, drop the class
        return str.__str__(value)
    if kind in (list, tuple, set, frozenset):
        items = [_encode(v, depth + 1, budget) for v in list(value)[:MAX_NODES]]
        return {"$": kind.__name__, "items": items}
    if kind is dict:
        pairs = [[_encode(k, depth + 1, budget), _encode(v, depth + 1, budget)]
                 for k, v in list(dict.items(value))[:MAX_NODES]]
        return {"$": "dict", "items": pairs}
    if isinstance(value, BaseException):
        return _encode_error(value, depth, budget)
    if inspect.iscoroutine(value):
        return {"$": "coroutine", "name": _name(value)}
    if isinstance(value, asyncio.Future):
        coro = value.get_coro() if isinstance(value, asyncio.Task) else None
        return {"$": "task" if isinstance(value, asyncio.Task) else "future",
                "name": _name(coro) if coro is not None else "future"}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name, None), depth + 1, budget)
                  for f in dataclasses.fields(value)}
        return {"$": "dataclass", "type": _type_name(kind), "fields": fields}
    if isinstance(value, bytes | bytearray):
        return {"$": "bytes", "hex": bytes(value[:65536]).hex()}
    return {"$": "object", "type": _type_name(kind), "repr": _safe_repr(value)}


def _encode_error(error: BaseException, depth: int, budget: list[int]) -> dict[str, Any]:
    token = error.__dict__.get(TOKEN_ATTRIBUTE) if hasattr(error, "__dict__") else None
    data: dict[str, Any] = {"$": "error", "type": type(error).__name__,
                            "module": type(error).__module__, "text": _safe_str(error),
                            "args": _encode(tuple(error.args), depth + 1, budget),
                            "token": token if isinstance(token, str) else None}
    if isinstance(error, BaseExceptionGroup):
        data["group"] = [_encode_error(e, depth + 1, budget) for e in error.exceptions[:100]]
        data["text"] = str(error.message)
    for link in ("__cause__", "__context__"):
        linked = getattr(error, link, None)
        if isinstance(linked, BaseException) and depth < MAX_DEPTH:
            data[link.strip("_")] = _encode_error(linked, depth + 1, budget)
    return data


def _name(obj: Any) -> str:
    return str(getattr(obj, "__qualname__", None) or type(obj).__name__)


def _type_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:300]
    except Exception:
        return f"<{type(value).__name__} object>"


def _safe_str(value: Any) -> str:
    try:
        return str(value)[:2000]
    except Exception:
        return ""


# -- the witness's side --------------------------------------------------------------------------

class RemoteCoroutine:
    """A coroutine object the learner's code returned instead of awaiting it."""

    def __init__(self, name: str) -> None:
        self.__qualname__ = self.name = name

    def __repr__(self) -> str:
        return f"<coroutine object {self.name}>"

    def close(self) -> None:
        """Nothing to close on this side (the real coroutine lived in the learner's process)."""


class RemoteTask:
    """A Task or Future the learner's code returned instead of its result."""

    def __init__(self, kind: str, name: str) -> None:
        self.kind, self.name = kind, name

    def __repr__(self) -> str:
        return f"<{self.kind.capitalize()} running {self.name}()>"


@dataclasses.dataclass(frozen=True)
class RemoteObject:
    """Any other object: its type and repr, as the learner's process described it."""

    type: str
    text: str
    fields: Mapping[str, Any] | None = None

    def __repr__(self) -> str:
        return self.text


_KNOWN_DATACLASSES: dict[str, type] = {}
_STAND_INS: dict[tuple[str, str], type[BaseException]] = {}


def known_dataclass(kind: type) -> type:
    """Let values of this kit dataclass come back as real instances (fields decoded)."""
    _KNOWN_DATACLASSES[_type_name(kind)] = kind
    return kind


def decode(data: Any, errors: Mapping[str, BaseException]) -> Any:
    """The witness-side value; `errors` maps the tokens of errors the witness raised to them."""
    if not isinstance(data, dict):
        return data if isinstance(data, _SCALARS) else None
    tag = data.get("$")
    if tag in ("list", "tuple", "set", "frozenset"):
        items = [decode(v, errors) for v in data.get("items", [])]
        if tag in ("set", "frozenset"):
            return {_hashable(v) for v in items}
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        return {_hashable(decode(k, errors)): decode(v, errors) for k, v in data.get("items", [])}
    if tag == "error":
        return decode_error(data, errors)
    if tag == "coroutine":
        return RemoteCoroutine(str(data.get("name")))
    if tag in ("task", "future"):
        return RemoteTask(tag, str(data.get("name")))
    if tag == "dataclass":
        fields = {str(k): decode(v, errors) for k, v in dict(data.get("fields", {})).items()}
        kind = _KNOWN_DATACLASSES.get(str(data.get("type")))
        if kind is not None:
            try:
                return kind(**fields)
            except TypeError:
                pass
        return RemoteObject(str(data.get("type")), f"{data.get('type')}({fields})", fields)
    if tag == "bytes":
        return bytes.fromhex(str(data.get("hex", "")))
    if tag == "object":
        return RemoteObject(str(data.get("type")), str(data.get("repr")))
    return RemoteObject("cut", "<value too large or too deep>")


def decode_error(data: dict[str, Any], errors: Mapping[str, BaseException]) -> BaseException:
    token = data.get("token")
    if isinstance(token, str) and token in errors:
        return errors[token]
    args = decode(data.get("args"), errors)
    args = tuple(args) if isinstance(args, list | tuple) else ()
    kind = _error_type(str(data.get("type")), str(data.get("module")))
    group = data.get("group")
    try:
        if isinstance(group, list) and issubclass(kind, BaseExceptionGroup):
            children = [decode_error(g, errors) for g in group if isinstance(g, dict)]
            error: BaseException = kind(str(data.get("text", "")), children) if children else \
                Exception(str(data.get("text", "")))
        else:
            error = kind(*args)
    except Exception:
        error = _stand_in(str(data.get("type")), str(data.get("module")))(str(data.get("text", "")))
    for link in ("cause", "context"):
        if isinstance(data.get(link), dict):
            setattr(error, f"__{link}__", decode_error(data[link], errors))
    return error


def _error_type(name: str, module: str) -> type[BaseException]:
    sources = {"builtins": builtins, "asyncio.exceptions": asyncio.exceptions}
    found = getattr(sources[module], name, None) if module in sources else None
    if isinstance(found, type) and issubclass(found, BaseException):
        return found
    return _stand_in(name, module)


def _stand_in(name: str, module: str) -> type[BaseException]:
    """A class that prints like the learner's own exception class (which the witness never imports)."""
    key = (module, name)
    if key not in _STAND_INS:
        safe = name if name.isidentifier() else "LearnerError"
        _STAND_INS[key] = type(safe, (Exception,), {"__module__": module[:100]})
    return _STAND_INS[key]


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict | set):
        return repr(value)
    return value
