"""Ctrl-C while a challenge runs: stop its test process cleanly, then let the caller say so.

A KeyboardInterrupt raised while the grader waits for a run would leave the run's process (in a
session of its own, which the terminal's Ctrl-C does not reach) going on alone. So the run goes on a
worker thread while the main thread, where Python delivers Ctrl-C, waits in short steps. On Ctrl-C
it sets the launcher's CANCEL event, the same one `grader batch` uses, so the worker stops the run
and removes its scratch folder; then the KeyboardInterrupt goes on to the command, which says what
was stopped and exits 130.

Imports grader.sandbox (its CANCEL event) only.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from grader.sandbox import CANCEL

T = TypeVar("T")
EXIT_CODE = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


def interruptible(work: Callable[[], T]) -> T:
    """work() on a worker thread; Ctrl-C stops it cleanly and is raised here once it has stopped."""
    box: dict[str, object] = {}
    finished = threading.Event()  # not Thread.join: a join cut short by Ctrl-C can leave a running
    # thread marked as stopped on Python 3.11 (bpo-45274's fix), and the run would be abandoned

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc
        finally:
            finished.set()

    CANCEL.clear()
    threading.Thread(target=run, name="grader-run", daemon=True).start()
    try:
        while not finished.wait(0.1):
            pass
    except KeyboardInterrupt:
        CANCEL.set()
        _wait_out(finished)
        raise
    finally:
        CANCEL.clear()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def interruptible_each(produce: Callable[[], Iterator[T]]) -> Iterator[T]:
    """The items of produce() (several runs), made on a worker thread; Ctrl-C stops the runs
    cleanly and is raised here once they have stopped. Closing this iterator early (the caller has
    seen enough) stops the runs still going the same way, so none outlives the command."""
    found: queue.Queue[tuple[str, object]] = queue.Queue()
    finished = threading.Event()

    def run() -> None:
        try:
            for item in produce():
                found.put(("item", item))
                if CANCEL.is_set():
                    break
        except BaseException as exc:  # handed to the caller's thread below
            found.put(("error", exc))
        finally:
            finished.set()
            found.put(("done", None))

    CANCEL.clear()
    threading.Thread(target=run, name="grader-runs", daemon=True).start()
    try:
        while True:
            try:
                kind, value = found.get(timeout=0.1)
            except queue.Empty:
                continue
            if kind == "done":
                return
            if kind == "error":
                raise value  # type: ignore[misc]
            yield value  # type: ignore[misc]
    finally:  # Ctrl-C, an early close or the end: nothing may keep running
        CANCEL.set()
        _wait_out(finished)
        CANCEL.clear()


def _wait_out(finished: threading.Event) -> None:
    """Wait for the cancelled run to clean up, through further Ctrl-Cs (it takes a second or two)."""
    while not finished.is_set():
        try:
            finished.wait(0.1)
        except KeyboardInterrupt:
            continue


def stop_if_cancelled() -> None:
    """For work made of several runs: after Ctrl-C, raise instead of going on to the next one."""
    if CANCEL.is_set():
        raise KeyboardInterrupt
