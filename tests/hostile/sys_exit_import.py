"""sys.exit() while the solution is being imported.

challenge: 02_three_fetches
status: error
diagnosis: import-error
"""

import sys

sys.exit(0)
