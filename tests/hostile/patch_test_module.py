"""Rewrites the code of the collected test functions themselves, so each one does nothing.

With the witness, the tests run in another process the solution cannot reach: the attack
changes nothing there, and the solution is graded as what it is.

challenge: 02_three_fetches
status: failed|error
diagnosis: sequential|import-error|crashed
"""

import sys


def _nothing(*args, **kwargs):
    return None


for _module in list(sys.modules.values()):
    if getattr(_module, "__name__", "").startswith("test_"):
        for _name, _value in vars(_module).items():
            if _name.startswith("test_") and hasattr(_value, "__code__"):
                _value.__code__ = _nothing.__code__


async def fetch_all(fetch, urls):
    return [await fetch(url) for url in urls]
