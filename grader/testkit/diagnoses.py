"""The named diagnoses every challenge shares: a code, a title, what to do next, and the concept.

A test that recognises a mistake raises `Mistake(code, ...)`; reports show the code's title and hint,
and the kit's own tests check that each known mistake gets its code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnosis:
    code: str
    title: str
    hint: str
    concept: str


_ALL = [
    # -- loading the solution --------------------------------------------------------------
    Diagnosis("missing-file", "the solution file is missing",
              "Create solution.py in the challenge folder (or restore it with git checkout).",
              "setup"),
    Diagnosis("syntax-error", "the solution does not parse",
              "Fix the line the message names; Python reads the whole file before running any of it.",
              "python"),
    Diagnosis("import-error", "the solution fails while it is being imported",
              "Run `python solution.py` to see the error; code at the top level runs on import.",
              "python"),
    Diagnosis("missing-name", "a function the task asks for is not defined",
              "Define the function with the exact name and parameters the README gives.",
              "python"),
    Diagnosis("not-async", "a function that must be a coroutine is a plain def",
              "Write it as `async def`, so callers can await it.", "coroutines"),
    Diagnosis("not-implemented", "the stub is still untouched",
              "Replace the `raise NotImplementedError` at the TODO with your code.", "getting started"),
    # -- core asyncio mistakes --------------------------------------------------------------
    Diagnosis("sequential", "the waits ran one after another instead of overlapping",
              "Start every operation before awaiting any: asyncio.gather(...) or create_task(...) "
              "for each, then await them together.", "concurrency"),
    Diagnosis("blocking-call", "a blocking call froze the event loop",
              "Use `await asyncio.sleep(...)` (or the library's async API) instead of time.sleep, "
              "so other tasks run while this one waits.", "the event loop"),
    Diagnosis("cpu-bound", "CPU-heavy work froze the event loop",
              "Move the heavy computation off the loop, into a process pool: `await "
              "loop.run_in_executor(pool, f, ...)` with a concurrent.futures.ProcessPoolExecutor "
              "(threads free the loop too, but share the GIL).", "when async does not fit"),
    Diagnosis("busy-wait", "the code checked over and over instead of waiting between checks",
              "Pause between checks with `await asyncio.sleep(interval)`: a loop that never waits "
              "keeps a CPU core busy (and, with no await in it, the event loop frozen).",
              "the event loop"),
    Diagnosis("not-awaited", "a coroutine was created but never awaited",
              "Put `await` in front of the call (or pass the coroutine to gather/create_task); "
              "calling an async function only creates a coroutine object.", "await"),
    Diagnosis("nested-run", "asyncio.run was called inside code that is already running on a loop",
              "Inside async code, `await` the coroutine instead of calling asyncio.run(); "
              "asyncio.run belongs at the program's entry point only.", "the event loop"),
    Diagnosis("wrong-result", "the result is not what the task asks for",
              "Compare the expected and actual values in the message; return exactly what each "
              "call gave you.", "correctness"),
    Diagnosis("raised", "the solution raised an exception",
              "Go to the line the message names and find the value there that is not what you "
              "thought: print(repr(value)) just before it, and check again.",
              "correctness"),
    Diagnosis("too-slow", "the solution is correct but slower than it should be",
              "Look at the timeline: find where nothing overlaps and start that work earlier.",
              "concurrency"),
    Diagnosis("too-fast", "the solution finished faster than the work itself takes",
              "Results must come from awaiting the given functions; do not skip or fake the waits.",
              "correctness"),
    Diagnosis("never-finished", "the solution did not finish within its time budget",
              "Look for an await on something that never completes, or a loop that never ends.",
              "the event loop"),
    Diagnosis("no-background", "the background job did not run while the other work went on",
              "Start it with asyncio.create_task(...) first, do the other work, then await the task.",
              "tasks"),
    Diagnosis("wrong-order", "results are not in the order asked for",
              "gather returns results in the order of its arguments; build the list in input order "
              "rather than in completion order.", "asyncio.gather"),
    Diagnosis("threads-for-cpu", "CPU-heavy Python code ran in threads of this process",
              "Threads take turns holding the GIL, so number crunching gains nothing from them: run "
              "it in a concurrent.futures.ProcessPoolExecutor via loop.run_in_executor(pool, f, ...).",
              "when async does not fit"),
    # -- asyncio called the wrong way: known shapes of an exception (shapes.py) --------------
    Diagnosis("gather-list", "a list of coroutines was passed to gather as one argument",
              "gather takes each awaitable as a separate argument: unpack the list with a star.",
              "asyncio.gather"),
    Diagnosis("passed-result", "a call's result was handed to a worker thread instead of the function",
              "Hand over the function and its arguments separately, so the worker makes the call.",
              "threads and executors"),
    Diagnosis("not-awaitable", "something that is not awaitable was awaited",
              "Look at the call after `await`: only coroutines, tasks and futures can be awaited.",
              "await"),
    Diagnosis("run-not-coroutine", "asyncio.run was given something other than a coroutine",
              "asyncio.run needs the coroutine a call of an async def function gives: "
              "`asyncio.run(main())`.", "the event loop"),
    Diagnosis("passed-function", "a coroutine function was passed where a coroutine belongs",
              "Call the function where you hand it to create_task or gather: its coroutine is "
              "what a task runs.", "tasks"),
    # -- coordination (gather, timeouts, limits, cancellation) ----------------------------
    Diagnosis("lost-results", "one failure threw away the results that succeeded",
              "Use asyncio.gather(..., return_exceptions=True) (or catch per task) so every "
              "outcome is kept.", "error handling"),
    Diagnosis("leaked-task", "a task was left running after the function returned",
              "Cancel (and await) every task you no longer need before returning, or use "
              "asyncio.timeout / a TaskGroup, which do it for you.", "cancellation"),
    Diagnosis("no-deadline", "the code waited for a slow call instead of giving up at the deadline",
              "Wrap the call in `async with asyncio.timeout(seconds):` (or asyncio.wait_for) and "
              "return the fallback on TimeoutError.", "timeouts"),
    Diagnosis("over-limit", "more operations ran at once than the limit allows",
              "Guard each operation with `async with semaphore:` using one shared "
              "asyncio.Semaphore(limit).", "limiting concurrency"),
    Diagnosis("batched", "work ran in fixed batches, so each batch waited for its slowest member",
              "Use one asyncio.Semaphore shared by all tasks: a new operation starts as soon as a "
              "slot frees up.", "limiting concurrency"),
    Diagnosis("waited-for-all", "the code waited for every answer when the first one was enough",
              "Use asyncio.wait(..., return_when=FIRST_COMPLETED) or as_completed and stop at the "
              "first success.", "racing tasks"),
    Diagnosis("not-cancelled", "losing tasks were left running after the winner was found",
              "Cancel every pending task once you have your answer, then await them.",
              "cancellation"),
    Diagnosis("failure-returned", "a failed answer was returned although a success was possible",
              "Skip answers that raised and keep waiting for the next one.", "racing tasks"),
    Diagnosis("not-streaming", "results were reported only after all of them were done",
              "Use asyncio.as_completed(...) and report each result as soon as it arrives.",
              "as_completed"),
    Diagnosis("siblings-left-running", "when one job failed, the others kept running",
              "Run the jobs in `async with asyncio.TaskGroup() as tg:`; a failure cancels the rest.",
              "structured concurrency"),
    Diagnosis("swallowed-error", "an error was caught and hidden from the caller",
              "Let the exception propagate (or re-raise it) so the caller learns the job failed.",
              "structured concurrency"),
    # -- the grader's own guards ------------------------------------------------------------
    Diagnosis("tampering", "the solution changed the grader's clock, sleep or services",
              "Do not reassign time, asyncio or grader functions; solve the task with the tools "
              "it names.", "integrity"),
    Diagnosis("crashed", "the test process stopped before the tests finished",
              "Do not call sys.exit, os._exit or kill processes in a solution; return a value.",
              "integrity"),
    Diagnosis("timeout", "the whole challenge ran past its wall-clock budget",
              "Look for a loop that never ends or a call that blocks forever.", "the event loop"),
    Diagnosis("edited-tests", "the challenge's tests differ from the published ones",
              "Restore the files the message names from the template's commit; only solution.py "
              "is yours to change.", "integrity"),
]

DIAGNOSES: dict[str, Diagnosis] = {d.code: d for d in _ALL}


def get(code: str) -> Diagnosis:
    """The diagnosis for a code; an unknown code is a bug in a challenge suite, so it raises."""
    try:
        return DIAGNOSES[code]
    except KeyError:
        raise KeyError(f"unknown diagnosis code {code!r}; add it to grader/testkit/diagnoses.py") from None
