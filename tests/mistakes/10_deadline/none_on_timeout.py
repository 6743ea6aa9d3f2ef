"""Gives up on time with wait_for, but returns None instead of the fallback it was given.

expect: wrong-result
"""

import asyncio


async def quote_or_fallback(get_quote, symbol, deadline, fallback):
    try:
        return await asyncio.wait_for(get_quote(symbol), deadline)
    except asyncio.TimeoutError:
        return None
