"""os._exit(0) while the solution is being imported: the test process vanishes with exit code 0.

No complete results file, whatever the exit code: that is a crash, not a pass.

challenge: 02_three_fetches
status: error
diagnosis: crashed
"""

import os

os._exit(0)
