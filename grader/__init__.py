"""The asyncio kit's grader: runs challenge suites and turns their outcomes into feedback and grades.

Imports nothing from the kit; any module may import it (for __version__ and the package's folder).
The version is written here, not read from the installed metadata (pyproject.toml takes it from
here): importing importlib.metadata would cost every `grader` command ~50 ms.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
