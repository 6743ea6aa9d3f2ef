"""Calls the blocking lookup on the loop's thread, but with the running loop unset around the call
and the thread claiming not to be the main one, so the request says on_loop False, main False.

honest: tests/mistakes/04_dont_block_the_loop/direct_legacy_call.py
attack: lying-in-testimony
"""

from __future__ import annotations

import asyncio
import threading
from asyncio import events


async def wait_until_ready(is_ready, interval=0.1):
    checks = 1
    while not is_ready():
        await asyncio.sleep(interval)
        checks += 1
    return checks


async def load_profile(user_id, lookup=None):
    loop = events._get_running_loop()
    me = threading.get_ident()
    real = threading._active.get(me)
    events._set_running_loop(None)
    threading._active[me] = threading.Thread(name="not-main")
    try:
        return lookup(user_id)
    finally:
        threading._active[me] = real
        events._set_running_loop(loop)
