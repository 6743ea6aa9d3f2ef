"""What a learner reads agrees with what the tests do: each challenge's README, hints and stub name
the functions the tests call, quote the durations the tests use, and the untouched stub's "Next
step" lines point to the idea instead of giving away the answer the last hint teaches."""

from __future__ import annotations

import ast
import importlib.util
import re
from numbers import Real
from types import ModuleType
from typing import Any

import pytest

from grader.catalog import Challenge
from grader.model import Status
from grader.run import run_challenge
from grader.testkit.checks import STALL_LIMIT
from tests.kit_cases import CHALLENGES

SECONDS = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))? ?s\b")
WORDS = {"a tenth of a second": 0.1, "half a second": 0.5, "one second": 1.0, "two seconds": 2.0,
         "three seconds": 3.0}
SIGNATURE = re.compile(r"async def (\w+)\(([^)]*)\)")
# What the last hint of a challenge may hand over, and a Next step must not.
ANSWER_WORDS = ["asyncio.sleep", "gather", "create_task", "to_thread", "run_in_executor",
                "ProcessPoolExecutor", "Semaphore", "TaskGroup", "as_completed", "asyncio.timeout",
                "wait_for", "FIRST_COMPLETED", "return_exceptions", "await "]


def _test_module(challenge: Challenge) -> ModuleType:
    path = next(challenge.path.glob("test_*.py"))
    spec = importlib.util.spec_from_file_location(f"texts_{challenge.id}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _numbers(value: Any) -> set[float]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, Real):
        return {round(float(value), 6)}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return set().union(*map(_numbers, value)) if value else set()
    return set()


def _durations_in_tests(challenge: Challenge) -> set[float]:
    """Every number the test module holds in its constants (latencies, sums, deadlines, budgets)."""
    module = _test_module(challenge)
    found = set().union(*(_numbers(v) for k, v in vars(module).items() if k.isupper()))
    found.add(STALL_LIMIT)  # every test that checks for a frozen loop uses it
    return found | {round(f * n, 6) for f in found for n in (2, 3, 4)}  # n jobs, or budgets


def _quoted_seconds(text: str) -> set[float]:
    values = {seconds for words, seconds in WORDS.items()
              if re.search(rf"\b{words}\b", text.replace("\n", " "))}
    for low, high in SECONDS.findall(text):
        values.add(round(float(low), 6))
        if high:
            values.add(round(float(high), 6))
    return values


def _stub_functions(challenge: Challenge) -> dict[str, list[str]]:
    tree = ast.parse(challenge.stub.read_text(encoding="utf-8"))
    return {node.name: [a.arg for a in node.args.args] for node in tree.body
            if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)}


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c.id)
def test_readme_hints_and_stub_name_the_functions_the_tests_call(challenge: Challenge) -> None:
    tests = next(challenge.path.glob("test_*.py")).read_text(encoding="utf-8")
    readme = (challenge.path / "README.md").read_text(encoding="utf-8")
    stub = _stub_functions(challenge)
    for name in set(re.findall(r"""require\(solution, ["'](\w+)["']""", tests)):
        assert name in stub, f"the tests call {name}, the stub does not define it"
        assert f"`{name}" in readme, f"the README never names {name}"
    for name, params in SIGNATURE.findall(readme):
        names = [p.split(":")[0].split("=")[0].strip() for p in params.split(",") if p.strip()]
        assert stub.get(name) == names, f"README: async def {name}({params}); stub: {stub.get(name)}"
    for hint in challenge.hints:
        for name in re.findall(r"`(?:async def |def )?(\w+)\(", hint):
            assert name in stub or name in dir(__builtins__) or name in _ASYNCIO_NAMES | _HINT_LOCALS, \
                f"hint names {name}(), which neither the stub nor asyncio defines"


_ASYNCIO_NAMES = set(dir(__import__("asyncio"))) | {"get_running_loop", "run_in_executor"}
_HINT_LOCALS = {"one", "load_page", "job", "mirror", "fetch", "greet", "report", "lookup", "crunch",
                "download", "summarise_local", "get_user", "get_posts", "get_quote", "say",
                "ProcessPoolExecutor", "ExceptionGroup"}


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c.id)
def test_durations_quoted_to_the_learner_are_the_tests_own(challenge: Challenge) -> None:
    allowed = _durations_in_tests(challenge)
    texts = {"README.md": (challenge.path / "README.md").read_text(encoding="utf-8"),
             "the stub's docstring": ast.get_docstring(ast.parse(challenge.stub.read_text("utf-8"))) or "",
             "the hints": "\n".join(challenge.hints)}
    for where, text in texts.items():
        strays = sorted(_quoted_seconds(text) - allowed)
        assert not strays, f"{where} quotes {strays} s, which the tests never use ({sorted(allowed)})"


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c.id)
def test_every_stub_imports_asyncio(challenge: Challenge) -> None:
    assert re.search(r"^import asyncio$", challenge.stub.read_text(encoding="utf-8"), re.MULTILINE)


@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c.id)
def test_the_stubs_next_steps_point_without_giving_the_answer(challenge: Challenge) -> None:
    """The last hint may give the answer; the untouched stub's failure messages must not."""
    answer = [word for word in ANSWER_WORDS if word in challenge.hints[-1]]
    result = run_challenge(challenge, challenge.stub)
    steps = [line.strip() for t in result.tests if t.status is not Status.PASSED
             for line in t.message.splitlines() if line.strip().startswith("Next step:")]
    assert steps, "the stub should fail with a next step"
    for step in steps:
        given = [word for word in answer if word in step]
        assert not given, f"{challenge.id}: {step!r} gives away {given}, which hint 3 teaches"


def test_what_the_texts_say_gather_returns_is_what_it_returns() -> None:
    """gather gives a list (02's hint once called it a "list-like tuple")."""
    import asyncio

    async def two() -> Any:
        return await asyncio.gather(asyncio.sleep(0, "a"), asyncio.sleep(0, "b"))

    assert type(asyncio.run(two())) is list
    for challenge in CHALLENGES:
        texts = [*challenge.hints, (challenge.path / "README.md").read_text(encoding="utf-8")]
        for sentence in re.split(r"(?<=[.;:])\s", " ".join(texts)):
            if "gather" in sentence and "return" in sentence:
                assert "tuple" not in sentence, f"{challenge.id}: {sentence}"
