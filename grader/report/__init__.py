"""Reports: each format is a pure function of the GradeReport model, in a module of its own.

Imports grader.model and its own report modules.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from grader.model import GradeReport

Renderer = Callable[[GradeReport], str]

# Each format's module and renderer, imported on first use: `grader check` needs only the terminal.
_RENDERERS = {
    "table": ("terminal", "table"),
    "json": ("json_report", "render"),
    "junit": ("junit", "render"),
    "classroom": ("classroom", "render"),   # lines for $GITHUB_OUTPUT; the CLI writes them there
    "gradescope": ("gradescope", "render"),
}
FORMAT_NAMES = tuple(sorted(_RENDERERS))


def __getattr__(name: str) -> Any:
    """FORMATS (format name -> renderer), built when first asked for."""
    if name != "FORMATS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return {fmt: getattr(importlib.import_module(f"{__name__}.{module}"), function)
            for fmt, (module, function) in _RENDERERS.items()}
