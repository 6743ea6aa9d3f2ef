"""Leaves a file in every world-writable folder it can find (/run/lock, /var/tmp, /dev/shm,
/dev/mqueue and any other within three levels of /), then behaves correctly.

In namespaces of its own a run sees none of the machine's world-writable folders: its /tmp and
/dev/shm are its own and vanish with it. The grade stands. As the grader's own user the files stay.

challenge: 02_three_fetches
status: passed
"""

import asyncio
import contextlib
import os

for top, folders, _files in os.walk("/"):
    if top.count(os.sep) >= 3:
        folders[:] = []
    folders[:] = [f for f in folders if f not in ("proc", "sys")]
    with contextlib.suppress(OSError):
        if os.stat(top).st_mode & 0o002:
            with open(os.path.join(top, "grader-hostile-litter"), "w") as out:
                out.write("was here\n")


async def fetch_all(fetch, urls):
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
