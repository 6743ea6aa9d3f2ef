"""Gathers the greetings, but greet waits with time.sleep, which freezes the loop: no overlap.

expect: blocking-call
"""

import asyncio
import time


async def greet(name, delay, say):
    time.sleep(delay)
    say(f"Hello, {name}!")


async def greet_both(say, alice_delay=2.0, bob_delay=1.0):
    await asyncio.gather(greet("Alice", alice_delay, say), greet("Bob", bob_delay, say))
