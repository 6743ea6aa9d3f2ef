"""Kills every ancestor it can see (the keeper first) after leaving a daemon behind: double fork,
setsid, an empty environment, and a loop that outlives the grader unless someone kills it.

In namespaces of its own a run's parent is its init, which ignores it, and the daemon dies with the
PID namespace. As the grader's own user the keeper dies, the daemon is re-parented to the grader
(a child subreaper), and the grader kills it after the run. Either way nothing is left running;
as the grader's own user the witness may have seen the crash (failed) or not (error).

challenge: 02_three_fetches
status: failed
diagnosis: sequential
same-user-status: error|failed
same-user-diagnosis: crashed
"""

import contextlib
import os
import signal
import sys

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execve(sys.executable, [sys.executable, "-c", "import time; time.sleep(300)",
                                   "grader-hostile-daemon"], {})
    os._exit(0)
with contextlib.suppress(OSError):
    os.kill(os.getppid(), signal.SIGKILL)


async def fetch_all(fetch, urls):
    return [await fetch(url) for url in urls]
