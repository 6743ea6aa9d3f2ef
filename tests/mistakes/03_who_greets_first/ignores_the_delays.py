"""Runs both at once, but with the README's 2 s and 1 s written in, whatever delays it is given.

expect: wrong-order
"""

import asyncio


async def greet(name, delay, say):
    await asyncio.sleep(delay)
    say(f"Hello, {name}!")


async def greet_both(say, alice_delay=2.0, bob_delay=1.0):
    await asyncio.gather(greet("Alice", 2, say), greet("Bob", 1, say))
