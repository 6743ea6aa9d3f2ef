"""Common asyncio mistakes with a known shape, recognised from an exception and its traceback.

Each recogniser is a pure function of the exception (its type, text and traceback frames, whose
locals hold the values the learner passed to asyncio); it returns a `Shape` (the diagnosis code and
the three parts of a message) or None. feedback.explain_exception turns a Shape into a Mistake.
Imports only the standard library, so feedback can import it without a cycle.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType, FunctionType, MethodType
from typing import Any, NamedTuple


class Shape(NamedTuple):
    code: str
    happened: str
    expected: str
    next_step: str


def recognise(exc: BaseException, where: str) -> Shape | None:
    """The first shape that fits exc; `where` is ' (solution.py, line 7: `...`)' or ''."""
    for recogniser in _RECOGNISERS:
        shape = recogniser(exc, str(exc), where)
        if shape is not None:
            return shape
    return None


def _frames(exc: BaseException) -> Iterator[FrameType]:
    tb = exc.__traceback__
    while tb is not None:
        yield tb.tb_frame
        tb = tb.tb_next


def _frame_in(exc: BaseException, folder: str, module: str, function: str) -> FrameType | None:
    """The traceback's frame running `function` in the standard library's folder/module.py."""
    for frame in _frames(exc):
        path = Path(frame.f_code.co_filename)
        if (frame.f_code.co_name == function and path.name == f"{module}.py"
                and path.parent.name == folder):
            return frame
    return None


def _kind(value: Any) -> str:
    """'a list', 'the function fetch', 'a str ('profile of ada')', 'None': what the learner passed."""
    if value is None:
        return "None"
    if isinstance(value, FunctionType | MethodType):
        return f"the function {value.__name__}"
    text = repr(value)
    shown = f" ({text})" if len(text) <= 40 and not text.startswith("<") else ""
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}{shown}"


def _gather_list(exc: BaseException, text: str, where: str) -> Shape | None:
    """gather([c1, c2]) (unhashable list) or gather(c for ...) (a generator run as a coroutine)."""
    frame = _frame_in(exc, "asyncio", "tasks", "gather")
    args = frame.f_locals.get("coros_or_futures", ()) if frame is not None else ()
    collections = [a for a in args if isinstance(a, list | tuple | set | dict)]
    if isinstance(exc, TypeError) and collections:
        what = f"one {type(collections[0]).__name__} of {len(collections[0])} item(s)"
    elif isinstance(exc, RuntimeError) and text.startswith("Task got bad yield: <coroutine object"):
        what = "a generator expression"
    else:
        return None
    return Shape("gather-list", f"Your code passed {what} to asyncio.gather{where}: "
                 f"{type(exc).__name__}: {text}. gather takes each awaitable as its own argument, "
                 "and a list (or generator) of coroutines is not itself awaitable.",
                 "the coroutines spread out as separate arguments of gather",
                 "Put a star in front of the list: `asyncio.gather(*coros)` unpacks it into "
                 "separate arguments.")


def _passed_result(exc: BaseException, text: str, where: str) -> Shape | None:
    """to_thread(f(x)) / run_in_executor(pool, f(x)): the worker was handed a result to call."""
    if not (isinstance(exc, TypeError) and text.endswith("object is not callable")):
        return None
    in_process = "_process_worker" in str(exc.__cause__ or "")  # a process pool re-raises it here
    if _frame_in(exc, "futures", "thread", "run") is None and not in_process:
        return None
    via = "asyncio.to_thread" if _frame_in(exc, "asyncio", "threads", "to_thread") else "run_in_executor"
    return Shape("passed-result", f"Your code handed {via} the result of a call instead of the "
                 f"function to call{where}: TypeError: {text}. Writing `f(x)` there calls f at once, "
                 "on the event loop (blocking it), and leaves the worker only its return value.",
                 "the function and its arguments, separately, so the worker makes the call",
                 f"Pass the function without calling it, then its arguments: `{via}(f, x)` "
                 "rather than `(f(x))`.")


_NOT_AWAITABLE = re.compile(r"^object (\S+) can't be used in 'await' expression$"
                            r"|^'(\S+)' object can't be awaited$")


def _not_awaitable(exc: BaseException, text: str, where: str) -> Shape | None:
    """`await x` where x is a plain value: often `await time.sleep(1)` or a plain def's result."""
    found = _NOT_AWAITABLE.match(text) if isinstance(exc, TypeError) else None
    if found is None:
        return None
    kind = found[1] or found[2]
    why = ("None is what a function without a return gives: the call after `await` already ran to "
           "the end (`time.sleep(...)`, say, or a plain `def` function)." if kind == "NoneType" else
           f"The call after `await` already ran to the end and gave a plain {kind}: it is a plain "
           "function, not an async one.")
    what = "None" if kind == "NoneType" else f"a {kind} value"
    return Shape("not-awaitable", f"Your code awaited {what}{where}: TypeError: {text}. {why}",
                 "await only coroutines (calls of async def functions), tasks and futures",
                 "Look at the call after `await`: use its asyncio version (`asyncio.sleep` for "
                 "`time.sleep`), make your own function `async def`, or drop the `await` where "
                 "the call is a plain function.")


def _run_not_coroutine(exc: BaseException, text: str, where: str) -> Shape | None:
    """asyncio.run(main) without the call, asyncio.run(main()) of a plain def, asyncio.run(value)."""
    frame = _frame_in(exc, "asyncio", "runners", "run")
    if not (isinstance(exc, ValueError) and frame is not None
            and text.startswith("a coroutine was expected")):
        return None
    given = frame.f_locals.get("coro", frame.f_locals.get("main"))
    if isinstance(given, FunctionType | MethodType):
        plain = "" if inspect.iscoroutinefunction(given) else f" and make {given.__name__} `async def`"
        step = f"Call the function inside the parentheses, `asyncio.run({given.__name__}())`{plain}."
    elif given is None:
        step = "Make the function you call there `async def`, so calling it gives a coroutine."
    else:
        step = "Pass asyncio.run the call of an async def function, `asyncio.run(main())`."
    return Shape("run-not-coroutine", f"Your code gave asyncio.run {_kind(given)}{where}: "
                 f"ValueError: {text}. asyncio.run runs a coroutine, the object calling an "
                 "`async def` function gives.", "a coroutine: `asyncio.run(main())`", step)


_FUNCTION_GOT = re.compile(r"^a coroutine was expected, got <(?:function|bound method) ([\w.<>]+)")


def _passed_function(exc: BaseException, text: str, where: str) -> Shape | None:
    """create_task(fetch) or gather(fetch): the coroutine function, not a call of it."""
    if not isinstance(exc, TypeError):
        return None
    named = _FUNCTION_GOT.match(text)
    if named:
        name, via = named[1].rsplit(".", 1)[-1], "create_task"
    else:
        frame = _frame_in(exc, "asyncio", "tasks", "_ensure_future")
        given = frame.f_locals.get("coro_or_future") if frame is not None else None
        if not isinstance(given, FunctionType | MethodType):
            return None
        in_gather = _frame_in(exc, "asyncio", "tasks", "gather") is not None
        name, via = given.__name__, "gather" if in_gather else "ensure_future"
    return Shape("passed-function", f"Your code passed the function {name} itself to {via}{where}, "
                 f"not a call of it: TypeError: {text}. A task runs a coroutine, which is what "
                 f"calling {name}(...) gives.", f"a coroutine: {via}({name}(...)), with its arguments",
                 f"Call the function where you hand it over: `{via}({name}(arg))`.")


_RECOGNISERS: list[Callable[[BaseException, str, str], Shape | None]] = [
    _gather_list, _passed_result, _not_awaitable, _run_not_coroutine, _passed_function,
]
