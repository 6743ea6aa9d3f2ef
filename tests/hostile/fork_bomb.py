"""A fork bomb at import time: every process forks again, as fast as it can.

RLIMIT_NPROC (a fresh uid when the grader is root) or the keeper's process count stops the
growth; the watchdog or the keeper ends the run, and every process is killed. (A safety valve
makes each process give up after 20 s, should the sandbox ever fail.)

challenge: 02_three_fetches
status: timeout|error
diagnosis: timeout|crashed
timeout: 4
"""

import ctypes
import os
import time

_libc = ctypes.CDLL(None)
_deadline = time.monotonic() + 20
while time.monotonic() < _deadline:
    try:
        if os.fork() == 0:
            _libc.prctl(15, b"hostile-bomb", 0, 0, 0)  # PR_SET_NAME, so the test can find us
    except OSError:
        time.sleep(0.001)
os._exit(0)
