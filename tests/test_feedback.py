"""explain_exception names the common mistakes with a known shape, and learner_traceback shows only
the learner's own lines. Each case runs real learner code from a file, so the tracebacks are real."""

from __future__ import annotations

import asyncio
import importlib.util
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from grader.testkit.diagnoses import DIAGNOSES
from grader.testkit.feedback import Mistake, explain_exception, learner_traceback

# Several cases leave coroutines unawaited on purpose (that is the learner's mistake).
pytestmark = pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")

SOLUTION = '''
import asyncio
import time


async def fetch(url):
    await asyncio.sleep(0.01)
    return url.upper()


def lookup(user_id):
    return f"profile of {user_id}"


async def gather_list(urls):
    return await asyncio.gather([fetch(url) for url in urls])


async def gather_generator(urls):
    return await asyncio.gather(fetch(url) for url in urls)


async def to_thread_result(user_id):
    return await asyncio.to_thread(lookup(user_id))


async def executor_result(user_id):
    return await asyncio.get_running_loop().run_in_executor(None, lookup(user_id))


async def await_sleep():
    await time.sleep(0.01)


async def await_plain(user_id):
    return await lookup(user_id)


async def task_of_function():
    task = asyncio.create_task(fetch)
    return await task


async def group_of_function():
    async with asyncio.TaskGroup() as group:
        group.create_task(fetch)


async def gather_of_function():
    return await asyncio.gather(fetch, fetch)


def run_function():
    return asyncio.run(fetch)


def run_plain():
    return asyncio.run(lookup("ada"))


async def helper_raises(n):
    return 10 / n


async def deep():
    return await helper_raises(0)
'''


@pytest.fixture(scope="module")
def learner(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    path = tmp_path_factory.mktemp("learner") / "solution.py"
    path.write_text(textwrap.dedent(SOLUTION), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("learner_solution_for_feedback", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, path.resolve()


def _caught(learner: tuple[ModuleType, Path], name: str, *args: object) -> tuple[BaseException, Path]:
    module, path = learner
    function = getattr(module, name)
    with pytest.raises(BaseException) as caught:  # any exception: it is what we explain
        if asyncio.iscoroutinefunction(function):
            asyncio.run(function(*args))
        else:
            function(*args)
    return caught.value, path


@pytest.mark.parametrize("name", ["gather_list", "gather_generator"])
def test_a_list_passed_to_gather_is_named(learner: tuple[ModuleType, Path], name: str) -> None:
    exc, path = _caught(learner, name, ["a", "b"])
    mistake = explain_exception(exc, path)
    assert mistake.code == "gather-list", mistake.render()
    assert "asyncio.gather(*coros)" in mistake.next_step
    assert "solution.py, line" in mistake.happened and "asyncio.gather(" in mistake.happened


@pytest.mark.parametrize("name", ["to_thread_result", "executor_result"])
def test_a_result_handed_to_a_thread_is_named(learner: tuple[ModuleType, Path], name: str) -> None:
    exc, path = _caught(learner, name, "ada")
    mistake = explain_exception(exc, path)
    assert mistake.code == "passed-result", mistake.render()
    via = "asyncio.to_thread" if name == "to_thread_result" else "run_in_executor"
    assert f"`{via}(f, x)`" in mistake.next_step
    assert "'str' object is not callable" in mistake.happened and "lookup(user_id)" in mistake.happened


def test_awaiting_none_names_the_blocking_call(learner: tuple[ModuleType, Path]) -> None:
    exc, path = _caught(learner, "await_sleep")
    mistake = explain_exception(exc, path)
    assert mistake.code == "not-awaitable", mistake.render()
    assert "awaited None" in mistake.happened and "`await time.sleep(0.01)`" in mistake.happened
    assert "asyncio.sleep" in mistake.next_step


def test_awaiting_a_plain_result_says_the_function_is_plain(learner: tuple[ModuleType, Path]) -> None:
    exc, path = _caught(learner, "await_plain", "ada")
    mistake = explain_exception(exc, path)
    assert mistake.code == "not-awaitable"
    assert "plain str" in mistake.happened and "not an async one" in mistake.happened


@pytest.mark.parametrize(("name", "via"), [("task_of_function", "create_task"),
                                           ("group_of_function", "create_task"),
                                           ("gather_of_function", "gather")])
def test_a_coroutine_function_passed_for_a_coroutine_is_named(
        learner: tuple[ModuleType, Path], name: str, via: str) -> None:
    exc, path = _caught(learner, name)
    mistake = explain_exception(exc, path)
    assert mistake.code == "passed-function", mistake.render()
    assert f"the function fetch itself to {via}" in mistake.happened
    assert f"`{via}(fetch(arg))`" in mistake.next_step


def test_asyncio_run_of_the_function_itself(learner: tuple[ModuleType, Path]) -> None:
    exc, path = _caught(learner, "run_function")
    mistake = explain_exception(exc, path)
    assert mistake.code == "run-not-coroutine", mistake.render()
    assert "the function fetch" in mistake.happened and "asyncio.run(fetch())" in mistake.next_step


def test_asyncio_run_of_a_plain_result(learner: tuple[ModuleType, Path]) -> None:
    exc, path = _caught(learner, "run_plain")
    mistake = explain_exception(exc, path)
    assert mistake.code == "run-not-coroutine"
    assert "a str ('profile of ada')" in mistake.happened


def test_other_exceptions_stay_raised_with_a_next_step_that_is_not_a_dead_end(
        learner: tuple[ModuleType, Path]) -> None:
    exc, path = _caught(learner, "deep")
    mistake = explain_exception(exc, path)
    assert mistake.code == "raised"
    assert "example" not in mistake.next_step  # most challenges have no example to run by hand


def test_every_code_the_shapes_give_is_a_diagnosis() -> None:
    for code in ("gather-list", "passed-result", "not-awaitable", "run-not-coroutine", "passed-function"):
        assert code in DIAGNOSES
        Mistake(code, "happened", "expected")  # validates the code


def test_learner_traceback_shows_only_the_learners_frames(learner: tuple[ModuleType, Path]) -> None:
    exc, path = _caught(learner, "deep")
    text = learner_traceback(exc, path)
    assert text.splitlines() == [
        "Traceback (your code only, most recent call last):",
        f"  solution.py, line {_line(path, 'return await helper_raises(0)')}, in deep",
        "    return await helper_raises(0)",
        f"  solution.py, line {_line(path, 'return 10 / n')}, in helper_raises",
        "    return 10 / n",
        "ZeroDivisionError: division by zero",
    ]
    assert "asyncio" not in text and "test_feedback" not in text


def test_learner_traceback_opens_an_exception_group(learner: tuple[ModuleType, Path]) -> None:
    exc, path = _caught(learner, "group_of_function")
    text = learner_traceback(exc, path)
    assert "ExceptionGroup: unhandled errors in a TaskGroup" in text
    assert "which holds:" in text and "group.create_task(fetch)" in text
    assert text.rstrip().endswith(">")  # the inner TypeError's line, naming the function it got


def test_learner_traceback_is_empty_when_no_frame_is_the_learners() -> None:
    try:
        raise ValueError("not from the solution")
    except ValueError as exc:
        assert learner_traceback(exc, Path("/nowhere/solution.py")) == ""


def _line(path: Path, code: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip() == code)
