"""The results file's signature: an HMAC with a per-run key, so the parent can tell the kit
plugin's file from one a solution wrote itself.

Standard library only, imports nothing from the kit, and importable everywhere (the pytest plugin
imports it, on every platform). The key reaches the sandboxed process through the keeper's memory,
never its environment, arguments or files: the keeper hands it over, the run's entry takes it once.
Code in that process determined enough to dig the signer out of memory can still sign, which is why
this is tamper evidence and the parent keeps its own (docs/grading-a-class.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from typing import Any

_handed: list[str] = []  # the run's key, between the keeper's hand-over and the entry's taking it


def hand_over(key: str) -> None:
    _handed[:] = [key]


def take_key() -> str:
    """The key the keeper handed over, once; '' when there is none (a run outside the grader)."""
    return _handed.pop() if _handed else ""


def new_key() -> str:
    return secrets.token_hex(32)


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes a results file's signature covers: the payload without its signature."""
    body = {k: v for k, v in payload.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def signer(key: str) -> Callable[[bytes], str]:
    """A callable signing canonical bytes; the raw key is not kept as a Python object."""
    mac = hmac.new(bytes.fromhex(key), digestmod=hashlib.sha256)

    def sign(data: bytes) -> str:
        copy = mac.copy()
        copy.update(data)
        return copy.hexdigest()

    return sign


def signed_by(payload: dict[str, Any], key: str) -> bool:
    claimed = payload.get("signature")
    return isinstance(claimed, str) and hmac.compare_digest(claimed, signer(key)(canonical(payload)))
