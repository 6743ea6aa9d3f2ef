"""Reports each body as soon as it has it, but fetches one URL at a time.

expect: sequential
"""


async def fetch_and_report(fetch, urls, report):
    for url in urls:
        report(await fetch(url))
