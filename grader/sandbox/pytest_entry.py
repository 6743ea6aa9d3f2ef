"""The default entry of a sandboxed run: the kit's pytest suite, writing a signed results file.

    main(pytest_args) -> pytest's exit status

Runs inside the sandbox (keeper.py calls it once privileges are dropped and limits applied). Imports
signing.py; pytest and the kit's plugin are imported late, inside pytest's own start-up, so pytest
can still rewrite the plugin's asserts.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.sandbox import signing


def main(argv: list[str]) -> int:
    import pytest

    key = signing.take_key()
    return int(pytest.main(argv, plugins=[_signing(signing.signer(key))] if key else []))


def _signing(sign: Callable[[bytes], str]) -> object:
    """A plugin handing the results signer to the kit's plugin once pytest has loaded it (importing
    the plugin earlier would keep pytest from rewriting its asserts), before its first write."""
    import pytest

    class Signing:
        @pytest.hookimpl(tryfirst=True)
        def pytest_configure(self, config: pytest.Config) -> None:
            from grader import pytest_plugin

            pytest_plugin.sign_results(sign)

    return Signing()
