"""Fills the disk with many files, each one under the file-size limit, then waits.

The keeper's watch on the run's disk use (the scratch folder and, for a fresh uid, what it owns
in the temporary folders) stops the run and everything is deleted.

challenge: 02_three_fetches
status: error
diagnosis: crashed
timeout: 20
"""

import os
import time

chunk = b"\x01" * (1024 * 1024)
for folder in (os.environ.get("HOME", "."), "/tmp"):
    for number in range(12):
        try:
            with open(os.path.join(folder, f"grader-hostile-fill-{number}.bin"), "wb") as out:
                for _ in range(30):
                    out.write(chunk)
        except OSError:
            break
time.sleep(30)
