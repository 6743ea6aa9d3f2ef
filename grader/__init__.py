"""The asyncio kit's grader: runs challenge suites and turns their outcomes into feedback and grades.

Imports nothing from the kit; any module may import it (for __version__ and the package's folder).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("asyncio-kit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
