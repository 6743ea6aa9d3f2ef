"""A memory hog: asks for 8 GB at import time, then for ever more in 512 MB blocks.

RLIMIT_AS (address space) makes the allocations fail with MemoryError.

challenge: 02_three_fetches
status: error
diagnosis: import-error
"""

blocks = [bytearray(8 * 1024**3)]
while True:
    blocks.append(bytearray(512 * 1024**2))
