"""The grader package's import graph: no circles, no upward imports, and every module says what it
may import (issue 9). Imports are read with `ast` from the source, so an import inside a function or
under `if TYPE_CHECKING:` counts as much as one at the top of the file."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import grader

ROOT = Path(grader.__file__).parent

# Bottom first. A module may import modules of its own layer or of a layer below it, never above.
# The longest matching prefix decides a module's layer (grader.witness.main is the top of the
# witness process, so it sits above the witness package it belongs to).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundations", ("grader", "grader.settings", "grader.errors", "grader.model",
                     "grader.progress", "grader.watcher", "grader.catalog")),
    ("evidence: what tests import and the witness", ("grader.testkit", "grader.witness")),
    ("isolation of one run", ("grader.sandbox",)),
    ("the test process", ("grader.pytest_plugin", "grader.witness.main")),
    ("results and their presentation", ("grader.scoring", "grader.report", "grader.suite_outline",
                                        "grader.stubs", "grader.published", "grader.gradebook",
                                        "grader.kit", "grader.explain", "grader.quiz")),
    ("grading", ("grader.run", "grader.schedule", "grader.interrupt", "grader.grade", "grader.batch",
                 "grader.learner", "grader.classroom", "grader.gradescope")),
    ("the command line", ("grader.cli", "grader.cli_app", "grader.cli_learn", "grader.launch",
                          "grader.__main__")),
]

IMPORT_SENTENCE = re.compile(r"(?:^|[.;,]\s+)[Ii]mports\b.*?(?=\n\s*\n|\Z)", re.MULTILINE | re.DOTALL)
NOTHING_CLAIM = re.compile(r"standard library only|nothing from the (kit|grader)", re.IGNORECASE)


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _resolve(name: str) -> str:
    """The grader module a dotted name lives in (grader.sandbox.Plan -> grader.sandbox)."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports_of(module: str) -> set[str]:
    """Every grader module `module` imports, anywhere in its source."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {_resolve(a.name) for a in node.names if a.name.split(".")[0] == "grader"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: climb from the module's own package
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            if base.split(".")[0] != "grader":
                continue
            for alias in node.names:  # `from grader.sandbox import files` imports a module
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else _resolve(base))
    found.discard(module)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a chain that ends where it starts, or None."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once fully explored
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = "done"
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def layer_of(module: str) -> int:
    matches = [(len(prefix), rank) for rank, (_, prefixes) in enumerate(LAYERS) for prefix in prefixes
               if module == prefix or module.startswith(prefix + ".")]
    assert matches, f"{module} belongs to no layer: add it to LAYERS in {Path(__file__).name}"
    return max(matches)[1]


def test_the_reader_sees_function_level_and_type_checking_imports(tmp_path: Path) -> None:
    assert "grader.sandbox.signing" in GRAPH["grader.pytest_plugin"]  # a function-level import
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_graph_has_no_cycle() -> None:
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_no_module_imports_upward() -> None:
    upward = [f"{m} ({LAYERS[layer_of(m)][0]}) imports {t} ({LAYERS[layer_of(t)][0]})"
              for m, targets in sorted(GRAPH.items()) for t in sorted(targets)
              if layer_of(t) > layer_of(m)]
    assert not upward, "imports going up a layer:\n" + "\n".join(upward)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_says_what_it_may_import(module: str) -> None:
    """A sentence beginning "Imports" (or the sandbox's "...; imports nothing from the kit") names
    every grader module the file imports, by its dotted name or its last part; a package's
    __init__ (its public face) may import its own modules without naming them."""
    doc = ast.get_docstring(ast.parse(MODULES[module].read_text())) or ""
    sentences = IMPORT_SENTENCE.findall(doc)
    assert sentences, f"{module}: its docstring needs a sentence beginning 'Imports' (what it may import)"
    said = " ".join(sentences)
    own = module + "." if MODULES[module].name == "__init__.py" else None
    imported = {t for t in GRAPH[module] if not (own and t.startswith(own))}
    if NOTHING_CLAIM.search(said) and not any(t in said for t in imported):
        assert not imported, f"{module} says it imports nothing from the kit, yet imports {sorted(imported)}"
    unnamed = [t for t in sorted(imported) if t != "grader"
               and not re.search(rf"\b{re.escape(t)}\b|\b{t.rpartition('.')[2]}\b", said)]
    assert not unnamed, f"{module}: its 'Imports' sentence does not name {unnamed}"
