"""One quiz question as data: what it shows, what it asks, and the answer key.

Imports only the standard library. The loader builds these from quiz.toml; nothing here reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# What a question asks about, with the words a learner reads. Each is a fact the runner measures,
# so the kit's tests can hold every answer key against the snippet's real behaviour.
KINDS: dict[str, str] = {
    "output": "what it prints",
    "result": "what main() returns",
    "raises": "what main() raises",
    "elapsed": "how long it takes",
    "peak": "how many at once",
}
NOTHING = "nothing"  # the `raises` answer when main() returns normally

# output: the printed lines; result: the repr of the returned value; raises: an exception class
# name or NOTHING; elapsed: seconds; peak: the most calls of one service in flight at once.
Answer = tuple[str, ...] | str | float | int


@dataclass(frozen=True)
class ServiceSpec:
    """A slow async service the snippet is given, recorded for the timeline (a FakeService)."""

    name: str
    latency: float | dict[str, float]   # seconds, or seconds per argument
    fails: dict[str, str] = field(default_factory=dict)  # argument -> built-in exception name
    returns: str = "{arg}"              # the body a successful call returns, {arg} filled in

    def seconds(self, arg: str) -> float:
        return self.latency if isinstance(self.latency, float) else self.latency[arg]

    def describe(self) -> str:
        """One plain sentence: how long a call takes and what it gives, so the snippet is readable."""
        if isinstance(self.latency, float):
            timing = f"takes {self.latency:g} s"
        else:
            timing = "takes " + ", ".join(f"{s:g} s for {a!r}" for a, s in self.latency.items())
        body = self.returns.replace("{arg}", "{x}")
        gives = f"f{body!r}" if "{x}" in body else repr(body)
        text = f"`await {self.name}(x)` {timing}, then returns {gives}"
        if self.fails:
            text += "; but " + ", ".join(f"{self.name}({a!r}) raises {e}" for a, e in self.fails.items())
        return text + "."


@dataclass(frozen=True)
class Question:
    challenge: str                     # the challenge's folder name, e.g. 03_who_greets_first
    id: str                            # unique within the challenge's quiz.toml
    ask: str                           # one of KINDS
    question: str
    snippet: str                       # defines `async def main()`; the quiz runs asyncio.run(main())
    answer: Answer
    explain: str
    choices: tuple[Answer, ...] = ()   # empty: the learner types the answer
    services: tuple[ServiceSpec, ...] = ()
    service: str | None = None         # whose peak a `peak` question asks about
    source: str = ""                   # "challenges/…/quiz.toml, question 2": for error messages

    @property
    def key(self) -> str:
        return f"{self.challenge}/{self.id}"

    @property
    def typed(self) -> bool:
        return not self.choices
