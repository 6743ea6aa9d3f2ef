"""The witness's one executor per test session, started on first use and stopped at the end.

Under the grader the executor runs in the sandbox and connects to the socket named in
GRADER_WITNESS_FD; it cannot be restarted, so once it dies every later trial says so. Under
plain pytest (a learner, or the kit's own tests) the witness starts a local executor itself and
starts a fresh one, loading the same solutions again, after one hung or died.

Imports the testkit's feedback and the witness's host and wire.
"""

from __future__ import annotations

import itertools
import os
import threading
from concurrent.futures import Future
from pathlib import Path

from grader.testkit.feedback import Mistake
from grader.witness.host import Executor
from grader.witness.wire import LISTEN_ENV

_current: list[Executor] = []
_loaded: dict[Path, dict[str, str] | Mistake] = {}
_numbers = itertools.count(1)
_early: list[Future[Executor]] = []  # the executor being accepted by start_soon()


def start_soon() -> None:
    """Under the grader, accept the executor now, on a thread: it dials, says hello and idles for
    the witness while pytest is still starting, so the first trial does not wait for it."""
    if not os.environ.get(LISTEN_ENV) or _current or _early:
        return
    early: Future[Executor] = Future()

    def start() -> None:
        try:
            early.set_result(_start())
        except BaseException as exc:  # given to the first test that needs the executor
            early.set_exception(exc)

    _early.append(early)
    threading.Thread(target=start, name="grader-early-start", daemon=True).start()


def executor() -> Executor:
    if _early:
        _early.pop().result()  # what the early start raised is the first test's
    if _current and _current[0].dead and not os.environ.get(LISTEN_ENV):
        close()
        fresh = _start()
        for path, names in _loaded.items():
            if not isinstance(names, Mistake):
                fresh.load(path)
        return fresh
    return _current[0] if _current else _start()


def _start() -> Executor:
    started = Executor()
    started.start()
    _current[:] = [started]
    return started


def load(path: Path) -> dict[str, str]:
    """The learner's names in the solution at path (loaded once per session)."""
    path = path.resolve()
    if path not in _loaded:
        try:
            _loaded[path] = executor().load(path)
        except Mistake as mistake:
            _loaded[path] = mistake
    found = _loaded[path]
    if isinstance(found, Mistake):
        raise found
    return found


def next_trial() -> int:
    return next(_numbers)


def close() -> None:
    if _current:
        _current.pop().close()
