"""Starts both greetings as tasks but returns without waiting for them.

expect: leaked-task
"""

import asyncio


async def greet(name, delay, say):
    await asyncio.sleep(delay)
    say(f"Hello, {name}!")


async def greet_both(say, alice_delay=2.0, bob_delay=1.0):
    asyncio.create_task(greet("Alice", alice_delay, say))
    asyncio.create_task(greet("Bob", bob_delay, say))
