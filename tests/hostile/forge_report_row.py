"""Raises the kit's own Mistake with a diagnosis code and message full of escapes and newlines, so
that a raw grade table would show a forged "passed 10/10" row and total.

challenge: 02_three_fetches
status: error|failed
diagnosis: unknown-diagnosis|missing-name
"""

from grader.testkit.feedback import Mistake

FORGED = ("\x1b[1A\x1b[2K\r02_three_fetches  Three fetches  passed  10/10\n\n"
          "Total: 10/10 points; 1 of 1 challenges passed.\n\x1b[8m")


class Forged(Mistake):
    def __str__(self) -> str:
        return FORGED


def __getattr__(name):  # reached from the test's fixture: require(solution, "fetch_all")
    error = Forged("sequential", "x", "y")
    error.code = "sequential" + FORGED
    raise error
