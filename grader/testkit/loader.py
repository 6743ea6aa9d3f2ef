"""Loading the solution under test, with every way that can fail turned into a named Mistake.

Imports the testkit's feedback only.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.testkit.feedback import SOLUTION_FILES, Mistake, where_in_solution

_loaded: dict[Path, ModuleType | Mistake] = {}


def load_solution(path: Path) -> ModuleType:
    """Import path as a module once per process; later calls return the same module (or Mistake)."""
    path = path.resolve()
    if path not in _loaded:
        try:
            _loaded[path] = _import(path)
        except Mistake as mistake:
            _loaded[path] = mistake
    found = _loaded[path]
    if isinstance(found, Mistake):
        raise found
    return found


def _import(path: Path) -> ModuleType:
    if not path.is_file():
        raise Mistake("missing-file", f"There is no solution file at {path}.",
                      "a solution.py beside the challenge's tests")
    SOLUTION_FILES.add(path)
    name = f"solution_{path.parent.name}".replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # so pickling (process pools) and dataclasses find it
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise Mistake("syntax-error", f"{path.name} has a syntax error on line {exc.lineno}: "
                      f"{exc.msg}.\n    {(exc.text or '').strip()}",
                      "a file Python can read") from None
    except (Exception, SystemExit) as exc:
        where = where_in_solution(exc, path)
        raise Mistake("import-error", f"Importing {path.name} raised {type(exc).__name__}: "
                      f"{exc}{where}.", "the file to import without errors") from None
    return module


def require(module: ModuleType, name: str, *, coroutine: bool = False) -> Any:
    """The named function from the solution; a missing one is a Mistake, and so is a plain `def`
    when `coroutine` (a test about the definition itself). Otherwise a plain function that returns
    an awaitable is as good as a coroutine function: what the call gives back is judged in the run."""
    file = Path(module.__file__ or "solution.py").name
    if not hasattr(module, name):
        raise Mistake("missing-name", f"{file} does not define {name}.",
                      f"a function named {name} (did you rename it?)")
    value = getattr(module, name)
    if coroutine and not inspect.iscoroutinefunction(value):
        raise Mistake("not-async", f"{name} in {file} is a plain function, not a coroutine "
                      "function.", f"`async def {name}(...)`")
    return value
