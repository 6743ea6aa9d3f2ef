"""Sends itself SIGINT while it is being imported: a KeyboardInterrupt stops the pytest session
early, with a results file that says so.

challenge: 02_three_fetches
status: error
diagnosis: crashed
"""

import os
import signal
import time

os.kill(os.getpid(), signal.SIGINT)
time.sleep(1)
