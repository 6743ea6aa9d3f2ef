"""Calls pytest.exit() while it is being imported, hoping to end the session early with a results
file that looks complete (it would list fewer points than the challenge has: a crash). The kit's
loader turns the Exit into an import error instead.

challenge: 02_three_fetches
status: error
diagnosis: import-error|crashed
"""

import pytest

pytest.exit("nothing to see here", returncode=0)
