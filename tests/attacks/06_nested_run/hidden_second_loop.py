"""Runs each fetch on a second event loop in a worker thread, hidden twice over: the thread is
registered as the main thread (so each request says "main"), and the second loop's selector never
waits inside epoll (it polls with a zero timeout and naps on a futex), so the kernel never sees a
second thread waiting in a selector.

honest: tests/mistakes/06_nested_run/loop_in_to_thread.py
attack: lying-in-testimony
won once: 'main' is the executor's word; a futex-napping selector is no poller (10/10 vs 0/10)
now lost: the kernel counts the threads the run started
"""

from __future__ import annotations

import asyncio
import selectors
import threading


class _QuietSelector(selectors.EpollSelector):
    _nap = threading.Event()

    def select(self, timeout=None):
        waited = 0.0
        while True:
            ready = super().select(0)
            if ready or (timeout is not None and waited >= timeout):
                return ready
            self._nap.wait(0.001)
            waited += 0.001


def _run_as_main(coro):
    threading._active[threading.get_ident()] = threading.main_thread()
    loop = asyncio.SelectorEventLoop(_QuietSelector())
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


async def handle_request(fetch, path):
    body = await asyncio.to_thread(_run_as_main, fetch(path))
    return {"status": 200, "path": path, "body": body}
