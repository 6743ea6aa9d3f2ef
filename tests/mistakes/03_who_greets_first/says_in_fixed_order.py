"""Waits for both at once, but says the greetings afterwards, in the order they were listed.

expect: wrong-order
"""

import asyncio


async def greet(name, delay, say):
    await asyncio.sleep(delay)
    return f"Hello, {name}!"


async def greet_both(say, alice_delay=2.0, bob_delay=1.0):
    greetings = await asyncio.gather(greet("Alice", alice_delay, say), greet("Bob", bob_delay, say))
    for greeting in greetings:
        say(greeting)
