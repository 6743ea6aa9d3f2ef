"""Keeps every body and error it has seen in module state and, in a later trial, answers at once
from that cache (the same mirror names and path come back), without waiting for any mirror.

honest: challenges/12_fastest_mirror/solution.py
attack: time
"""

from __future__ import annotations

import asyncio

_SEEN: dict[str, object] = {}


async def fastest(mirrors, path):
    for mirror in mirrors:
        if mirror.__name__ in _SEEN and not isinstance(_SEEN[mirror.__name__], BaseException):
            return _SEEN[mirror.__name__]
    answers = await asyncio.gather(*(mirror(path) for mirror in mirrors), return_exceptions=True)
    for mirror, answer in zip(mirrors, answers, strict=True):
        _SEEN[mirror.__name__] = answer
    errors = [answer for answer in answers if isinstance(answer, Exception)]
    for answer in answers:
        if not isinstance(answer, BaseException):
            return answer
    raise ExceptionGroup("every mirror failed", errors)
