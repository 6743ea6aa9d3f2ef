"""Keeps every outcome with try/except, but awaits each fetch before starting the next.

expect: sequential
"""


async def fetch_all(fetch, urls):
    results = []
    for url in urls:
        try:
            results.append(await fetch(url))
        except Exception as exc:
            results.append(exc)
    return results
