"""Writes a conftest.py (a hook forcing every report to "passed") into its folder and the one
above, at import time, then behaves like the stub.

pytest reads conftest files while collecting, before any solution is imported: too late to matter.

challenge: 02_three_fetches
status: failed
diagnosis: sequential
"""

import contextlib

CONFTEST = '''
import pytest

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    outcome.get_result().outcome = "passed"
'''
for folder in (".", ".."):
    with contextlib.suppress(OSError), open(f"{folder}/conftest.py", "w") as out:
        out.write(CONFTEST)


async def fetch_all(fetch, urls):
    return [await fetch(url) for url in urls]
