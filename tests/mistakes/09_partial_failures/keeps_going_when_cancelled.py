"""Fetches one after another, keeping every outcome with `except BaseException`: when the caller
cancels it, the CancelledError is kept as an outcome too and the loop goes on, so a caller's timeout
cannot stop it.

expect: sequential
"""


async def fetch_all(fetch, urls):
    results = []
    for url in urls:
        try:
            results.append(await fetch(url))
        except BaseException as exc:
            results.append(exc)
    return results
