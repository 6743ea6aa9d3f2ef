"""Puts Bob first by hand but still awaits one greeting after the other: right order, sum of the waits.

expect: sequential
"""

import asyncio


async def greet(name, delay, say):
    await asyncio.sleep(delay)
    say(f"Hello, {name}!")


async def greet_both(say, alice_delay=2.0, bob_delay=1.0):
    await greet("Bob", bob_delay, say)
    await greet("Alice", alice_delay, say)
