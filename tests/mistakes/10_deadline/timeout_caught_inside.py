"""Catches TimeoutError inside the asyncio.timeout block, where it never appears: it escapes.

expect: raised
"""

import asyncio


async def quote_or_fallback(get_quote, symbol, deadline, fallback):
    async with asyncio.timeout(deadline):
        try:
            return await get_quote(symbol)
        except TimeoutError:
            return fallback
