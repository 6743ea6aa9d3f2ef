"""Nests 1,500 folders in its home, locks them (chmod 000, from the deepest up), then behaves
correctly. shutil.rmtree raises RecursionError on such a tree, and cannot enter a locked folder.

The keeper stops a run that nests folders more than 128 levels deep, and the scratch folder is
deleted anyway, through folder descriptors: no depth or permission stops the grader or a batch.

challenge: 02_three_fetches
status: error
diagnosis: crashed
"""

import asyncio
import os
import time

top = os.path.join(os.environ.get("HOME", "."), "grader-hostile-deep")
os.mkdir(top)
fd = os.open(top, os.O_RDONLY)
chain = [fd]
for _ in range(1500):
    os.mkdir("d", dir_fd=chain[-1])
    inner = os.open("d", os.O_RDONLY, dir_fd=chain[-1])
    os.close(chain[-1]) if len(chain) > 1 else None
    chain.append(inner)
with open(os.open("secret", os.O_CREAT | os.O_WRONLY, 0o600, dir_fd=chain[-1]), "w") as out:
    out.write("x" * 100)
os.chmod(chain[-1], 0)
os.chmod(top, 0)
time.sleep(1)  # long enough for the keeper to look


async def fetch_all(fetch, urls):
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
