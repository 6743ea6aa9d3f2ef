"""Floods every pipe it holds, past pytest's capture, straight to the grader.

The grader keeps the first 64 KB with a visible "[output cut]" note and drains the rest, so its
memory stays bounded; the watchdog ends the run.

challenge: 02_three_fetches
status: timeout
diagnosis: timeout
timeout: 4
"""

import os
import stat

pipes = []
for fd in range(64):
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            pipes.append(fd)
    except OSError:
        pass
data = b"flood! " * 10000
while True:
    for fd in pipes:
        try:
            os.write(fd, data)
        except OSError:
            pass
