"""An endless CPU loop inside the coroutine: the event loop never gets control back.

challenge: 02_three_fetches
status: timeout
diagnosis: timeout
timeout: 4
"""


async def fetch_all(fetch, urls):
    while True:
        pass
