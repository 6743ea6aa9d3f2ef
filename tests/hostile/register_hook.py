"""Registers its own pytest plugin from the solution: an outermost makereport hook wrapper that
turns every report into a pass after the kit's plugin has looked at it.

With the witness, the tests run in another process the solution cannot reach: the attack
changes nothing there, and the solution is graded as what it is.

challenge: 02_three_fetches
status: failed|error
diagnosis: sequential|import-error|crashed
"""

import gc

import pytest


class _Cheat:
    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        report.outcome = "passed"
        report.longrepr = None
        report.user_properties[:] = []


for _obj in gc.get_objects():
    if isinstance(_obj, pytest.Config):
        _obj.pluginmanager.register(_Cheat(), "cheat")
        break


async def fetch_all(fetch, urls):
    return [await fetch(url) for url in urls]
