"""Writes one huge file (100 MB) while being imported.

RLIMIT_FSIZE stops the file at 32 MB: the write fails with "File too large".

challenge: 02_three_fetches
status: error
diagnosis: import-error
"""

import os

with open(os.path.join(os.environ.get("HOME", "."), "huge.bin"), "wb") as out:
    for _ in range(100):
        out.write(b"\x01" * (1024 * 1024))
