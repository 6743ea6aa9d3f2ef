"""The named diagnoses every challenge shares: a code, a title, what to do next, and the concept.

A test that recognises a mistake raises `Mistake(code, ...)`; reports show the code's title and hint,
and the kit's own tests check that each known mistake gets its code.

Imports nothing from the kit.
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
              "Write your code at the TODO, in place of the `raise NotImplementedError`; the "
              "README's task says what the function must do.", "getting started"),
    # -- core asyncio mistakes --------------------------------------------------------------
    Diagnosis("sequential", "the waits ran one after another instead of overlapping",
              "In the timeline, each call starts only when the one before it has ended: start "
              "them all before you wait for any of them.", "concurrency"),
    Diagnosis("blocking-call", "a blocking call froze the event loop",
              "Find the call that holds the thread while it waits (the message names the line): "
              "wait in a way the event loop can pause on, or move the call off the loop's thread.",
              "the event loop"),
    Diagnosis("cpu-bound", "CPU-heavy work froze the event loop",
              "Move the computation off the event loop's thread, to somewhere it can run in "
              "parallel with the rest (threads of this process take turns, because of the GIL).",
              "when async does not fit"),
    Diagnosis("busy-wait", "the code checked over and over instead of waiting between checks",
              "Pause between checks with `await asyncio.sleep(interval)`: a loop that never waits "
              "keeps a CPU core busy (and, with no await in it, the event loop frozen).",
              "the event loop"),
    Diagnosis("not-awaited", "a coroutine was created but never awaited",
              "Calling an async function gives a coroutine object, not its result: find where your "
              "code uses that object as a value (the message names the line) and get the result "
              "out of it.", "await"),
    Diagnosis("nested-run", "asyncio.run was called inside code that is already running on a loop",
              "Code that already runs on a loop does not start another one: get the result the "
              "way async code gets every result, and let `async` spread to the function around it.",
              "the event loop"),
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
              "Start the slow job so that it runs in the background, do the other work meanwhile, "
              "and wait for the job only where its result is needed.", "tasks"),
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
              "Keep each failure as a value in its call's place, instead of letting the first one "
              "end your function.", "error handling"),
    Diagnosis("leaked-task", "a task was left running after the function returned",
              "Cancel (and await) every task you no longer need before returning, or use "
              "asyncio.timeout / a TaskGroup, which do it for you.", "cancellation"),
    Diagnosis("no-deadline", "the code waited for a slow call instead of giving up at the deadline",
              "Give the call a time limit that cancels it when the deadline passes, and answer "
              "with the fallback then.", "timeouts"),
    Diagnosis("over-limit", "more operations ran at once than the limit allows",
              "Make each operation wait for a free slot before it starts, with one limit shared "
              "by all of them.", "limiting concurrency"),
    Diagnosis("too-few-at-once", "fewer operations ran at once than the task allows",
              "Start every operation that may run before awaiting any of them; check what holds "
              "the others back.", "concurrency"),
    Diagnosis("batched", "work ran in fixed batches, so each batch waited for its slowest member",
              "Use one asyncio.Semaphore shared by all tasks: a new operation starts as soon as a "
              "slot frees up.", "limiting concurrency"),
    Diagnosis("waited-for-all", "the code waited for every answer when the first one was enough",
              "Wake up as soon as the first call finishes, not when all of them have, and stop at "
              "the first success.", "racing tasks"),
    Diagnosis("not-cancelled", "losing tasks were left running after the winner was found",
              "Cancel every pending task once you have your answer, then await them.",
              "cancellation"),
    Diagnosis("cancel-not-awaited", "tasks were cancelled but not awaited before returning",
              "After task.cancel(), await the task (or gather the cancelled tasks with "
              "return_exceptions=True) so the cancellation has finished before you return.",
              "cancellation"),
    Diagnosis("failure-returned", "a failed answer was returned although a success was possible",
              "Skip answers that raised and keep waiting for the next one.", "racing tasks"),
    Diagnosis("not-streaming", "results were reported only after all of them were done",
              "Report each result when its own call finishes, not when the last one does.",
              "as_completed"),
    Diagnosis("siblings-left-running", "when one job failed, the others kept running",
              "Run the jobs so that one failure cancels the others, and waits for their cleanup, "
              "before the error goes on to the caller.", "structured concurrency"),
    Diagnosis("swallowed-error", "an error was caught and hidden from the caller",
              "Let the exception propagate (or re-raise it) so the caller learns the job failed.",
              "structured concurrency"),
    # -- servers and connections (the witness's clients saw it) ----------------------------
    Diagnosis("not-listening", "the server never listened on the port it was given",
              "Start the server on the host and port serve() receives, and keep serve() running "
              "until it is cancelled (`await server.serve_forever()`).", "servers"),
    Diagnosis("one-at-a-time", "the server served one client at a time",
              "Let every connection have its own task (asyncio.start_server does it for you) and "
              "never hold a lock or await one client's whole session before taking the next.",
              "servers"),
    Diagnosis("connection-left-open", "a connection stayed open after its client was done",
              "When readline() returns b\"\" the client has finished: `writer.close()` then "
              "`await writer.wait_closed()`, in a `finally:` so errors close it too.", "servers"),
    Diagnosis("left-listening", "the server kept listening after it was cancelled",
              "Keep the server in `async with server:` so cancelling serve() closes it.", "servers"),
    # -- clients and crawlers (the witness's site saw every request) -------------------------
    Diagnosis("fetched-twice", "the same page was requested more than once",
              "Remember every page the moment you queue it (a set), and queue only pages not in "
              "it: pages that link to each other then cannot bring one back.", "crawling"),
    Diagnosis("client-per-request", "a new HTTP client (and connection) was made for each request",
              "Make one httpx.AsyncClient for the whole crawl (`async with` around all of it) and "
              "pass it to every request: it keeps its connections open and reuses them.",
              "HTTP clients"),
    Diagnosis("no-timeout", "a request waited for an answer that never came",
              "Give the client a timeout (`httpx.AsyncClient(timeout=timeout)`), and treat "
              "httpx.TimeoutException as a failed try.", "timeouts"),
    Diagnosis("too-many-retries", "a failing page was tried more times than allowed",
              "Try each page at most 1 + retries times (a `for` loop over a range, not a `while "
              "True`), then give it up.", "error handling"),
    Diagnosis("ignored-robots", "a page that robots.txt disallows was requested",
              "Read robots.txt first (urllib.robotparser.RobotFileParser) and check every link "
              "with can_fetch before you queue it.", "crawling"),
    Diagnosis("stalled-by-slow-reader", "one member that stopped reading held up the others",
              "Never make a speaker wait for each listener in turn: give every member an outbox "
              "(a bounded asyncio.Queue) emptied by a task of its own, or use websockets.broadcast.",
              "servers"),
    Diagnosis("crashed-on-closed", "the server failed on a connection that was already closed",
              "Forget a member however its connection ends (in a `finally:`), and let a send to a "
              "closed connection cost only that member, never the one who spoke.", "servers"),
    Diagnosis("threadpool-bound", "a plain `def` endpoint was served by a pool of threads, 40 at a time",
              "Write the endpoint as `async def` and await an async client (httpx.AsyncClient): "
              "then one thread serves every request while they wait.", "web servers"),
    # -- the grader's own guards ------------------------------------------------------------
    Diagnosis("kit-error", "the grader itself failed (a bug in the kit)",
              "Nothing to change in your code for this one: report the message to your instructor.",
              "setup"),
    Diagnosis("tampering", "the solution changed the grader's clock, sleep or services",
              "Do not reassign time, asyncio or grader functions; solve the task with the tools "
              "it names.", "integrity"),
    Diagnosis("crashed", "the test process stopped before the tests finished",
              "Do not call sys.exit, os._exit or kill processes in a solution; return a value.",
              "integrity"),
    Diagnosis("inconclusive", "the machine was too busy to time this run",
              "Nothing in your code was found wrong here: check again when the machine is quieter "
              "(or with --jobs 1).", "grading"),
    Diagnosis("timeout", "the whole challenge ran past its wall-clock budget",
              "Look for a loop that never ends or a call that blocks forever.", "the event loop"),
    Diagnosis("edited-tests", "the challenge's tests differ from the published ones",
              "Restore the files the message names from the template's commit; only solution.py "
              "is yours to change.", "integrity"),
]

DIAGNOSES: dict[str, Diagnosis] = {d.code: d for d in _ALL}

# Decided without the clock: from the code's shape, its answer's type, its own CPU, or what the
# witness recorded of its calls (their order and overlap, cancellations, what was left open or
# running at the end). Each call is held for its whole latency, so load cannot make overlapping
# calls look one after another; load only ever adds time. No amount of machine load brings these
# about, so a run that shared the machine and got only these needs no second look (schedule.py).
# A wrong answer is not here: under load a deadline can pass before a correct answer arrives.
CLOCK_FREE = frozenset({
    "missing-file", "syntax-error", "import-error", "missing-name", "not-async", "not-implemented",
    "not-awaited", "nested-run", "gather-list", "passed-result", "not-awaitable",
    "run-not-coroutine", "passed-function", "tampering", "edited-tests", "too-fast", "busy-wait",
    "sequential", "batched", "over-limit", "too-few-at-once", "threadpool-bound", "one-at-a-time",
    "wrong-order", "lost-results", "swallowed-error", "leaked-task", "not-cancelled",
    "cancel-not-awaited", "siblings-left-running", "connection-left-open", "left-listening",
    "crashed-on-closed", "fetched-twice", "client-per-request", "ignored-robots",
    "too-many-retries"})


def get(code: str) -> Diagnosis:
    """The diagnosis for a code; an unknown code is a bug in a challenge suite, so it raises."""
    try:
        return DIAGNOSES[code]
    except KeyError:
        raise KeyError(f"unknown diagnosis code {code!r}; add it to grader/testkit/diagnoses.py") from None
