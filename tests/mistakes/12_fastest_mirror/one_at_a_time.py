"""Falls back from one mirror to the next: never asks two at once.

expect: sequential
"""


async def fastest(mirrors, path):
    errors = []
    for mirror in mirrors:
        try:
            return await mirror(path)
        except Exception as exc:
            errors.append(exc)
    raise ExceptionGroup("every mirror failed", errors)
