"""The default entry of a sandboxed run: the kit's pytest suite, writing a signed results file.

    main(pytest_args) -> pytest's exit status

Runs inside the sandbox (inside.py calls it once privileges are dropped and limits applied). Imports
signing.py, and pytest late; the kit's plugin is never imported from here (pytest loads it, `-p
grader.pytest_plugin`, and rewrites its asserts), only found among pytest's plugins by name.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.sandbox import signing

KIT_PLUGIN = "grader.pytest_plugin"  # the name pytest registers the kit's plugin under (-p)


def main(argv: list[str]) -> int:
    import pytest

    key = signing.take_key()
    return int(pytest.main(argv, plugins=[_signing(signing.signer(key))] if key else []))


def _signing(sign: Callable[[bytes], str]) -> object:
    """A plugin handing the results signer to the kit's plugin once pytest has loaded it, before
    its first write."""
    import pytest

    class Signing:
        @pytest.hookimpl(tryfirst=True)
        def pytest_configure(self, config: pytest.Config) -> None:
            plugin = config.pluginmanager.get_plugin(KIT_PLUGIN)
            if plugin is not None:
                plugin.sign_results(sign)

    return Signing()
