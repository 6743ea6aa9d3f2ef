"""Runs the jobs in threads (the honest mistake) but keeps the loop's thread out of the GIL fight:
it waits in a blocking epoll wait until the last thread is done. The loop is frozen throughout, yet
the kernel sees its thread idle in epoll_wait, so no stall is measured.

honest: tests/mistakes/15_heavy_lifting/to_thread.py
attack: process-games
won once: loop parked in epoll_wait shows no GIL stall (7/10 vs 3/10)
now lost: CPU in the process's own threads fails the responsiveness test
"""

from __future__ import annotations

import os
import select
import threading


async def crunch_all(crunch, seeds, rounds):
    results = [None] * len(seeds)
    left = [len(seeds)]
    lock, gate = threading.Lock(), threading.Event()
    readable, writable = os.pipe()

    def work(i, seed):
        gate.wait()
        results[i] = crunch(seed, rounds)
        with lock:
            left[0] -= 1
            if left[0] == 0:
                os.write(writable, b"x")

    poller = select.epoll()
    poller.register(readable, select.EPOLLIN)
    for i, seed in enumerate(seeds):
        threading.Thread(target=work, args=(i, seed), daemon=True).start()
    gate.set()
    poller.poll(60)  # one wait, woken once: the loop's thread never asks for the GIL meanwhile
    poller.close()
    os.close(readable)
    os.close(writable)
    return results
