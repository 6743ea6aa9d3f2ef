"""grader/sandbox/ is layered: each module imports only the modules listed above it in the package's
opening docstring, never anything of the grader above the sandbox (run, batch, cli...), and says in
its own opening docstring what it holds and what it may import. The public face is small."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import grader.sandbox

PACKAGE = Path(grader.sandbox.__file__).parent
# From outside the package: settings and the clock; the fork server (parent.py starts keepers warm);
# and the executor, which the isolation probe's entry (ready.py) imports to prove a run can load it.
ALLOWED_OUTSIDE = {"grader.settings", "grader.testkit.clock", "grader.testkit", "grader.forkserver",
                   "grader.witness.executor"}


def _order() -> list[str]:
    """The modules in the order the package docstring lists them, bottom first."""
    doc = ast.get_docstring(ast.parse((PACKAGE / "__init__.py").read_text())) or ""
    return re.findall(r"^\s{4}(\w+)\.py\b", doc, re.MULTILINE)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("grader"):
            if node.module == "grader.sandbox":
                found |= {f"grader.sandbox.{a.name}" for a in node.names}
            elif node.module == "grader":
                found |= {f"grader.{a.name}" for a in node.names}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("grader")}
    return found


def test_every_module_is_listed_and_imports_only_what_lies_below_it() -> None:
    order = _order()
    modules = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert sorted(order) == modules, "the package docstring must list every module"
    for position, name in enumerate(order):
        below = {f"grader.sandbox.{m}" for m in order[:position]}
        for imported in _imports(PACKAGE / f"{name}.py"):
            if imported.startswith("grader.sandbox."):
                assert imported in below, f"{name}.py imports {imported}, which is not below it"
            else:
                assert imported in ALLOWED_OUTSIDE, f"{name}.py imports {imported} from above"


def test_every_module_says_what_it_holds_and_may_import() -> None:
    for path in PACKAGE.glob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
        assert len(doc) > 80, f"{path.name} needs an opening docstring"
        assert re.search(r"\bimport", doc, re.IGNORECASE), f"{path.name}: say what it may import"


def test_the_public_face_is_small_and_the_old_modules_are_gone() -> None:
    assert len(grader.sandbox.__all__) <= 30
    assert all(hasattr(grader.sandbox, name) for name in grader.sandbox.__all__)
    root = PACKAGE.parent
    assert not [p for p in root.glob("sandbox_*.py")] and not (root / "child.py").exists()
    for path in root.rglob("*.py"):
        text = path.read_text()
        assert "sandbox_launch" not in text and "grader.child" not in text, path
