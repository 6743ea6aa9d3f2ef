"""Reading challenges/NN_slug/quiz.toml into Questions, with errors as clear as the catalog's.

A quiz.toml looks like this (every key is checked; unknown keys are errors):

    format_version = 1

    [[questions]]
    id = "two-at-once"                    # lower-case words joined by -, unique in the file
    ask = "elapsed"                       # output | result | raises | elapsed | peak (model.KINDS)
    question = "How long does main() take?"
    snippet = '''
    import asyncio

    async def main():
        await asyncio.gather(fetch("a"), fetch("b"))
    '''                                   # imports and definitions only; the quiz runs main()
    choices = [0.3, 0.6]                  # optional: without choices the learner types the answer
    answer = 0.3                          # output: a line or a list of lines; result: the repr of
                                          # the value; raises: an exception name or "nothing";
                                          # elapsed: seconds; peak: a count
    explain = "One paragraph: why, in the kit's plain words."
    service = "fetch"                     # peak only: whose calls are counted (default: the only one)

    [questions.services.fetch]            # a slow async service the snippet is given
    latency = 0.3                         # seconds, or a table: { a = 0.1, b = 0.3 }
    fails = { b = "ConnectionError" }     # optional: argument -> built-in exception raised
    returns = "page {arg}"                # optional: the body of a successful call (default {arg})

Imports grader.catalog, grader.errors and grader.quiz.model.
"""

from __future__ import annotations

import ast
import builtins
import re
import tomllib
from pathlib import Path
from typing import Any

from grader.catalog import Challenge
from grader.errors import MetadataError
from grader.quiz.model import KINDS, NOTHING, Answer, Question, ServiceSpec

FILE_NAME = "quiz.toml"
FORMAT_VERSION = 1
TOP_KEYS = {"format_version", "questions"}
QUESTION_KEYS = {"id", "ask", "question", "snippet", "answer", "choices", "explain", "services",
                 "service"}
SERVICE_KEYS = {"latency", "fails", "returns"}
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_CHOICES = 6
# Top-level statements a snippet may hold: running anything is the quiz's job, after the question.
DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
               ast.Assign, ast.AnnAssign)


def load(challenge: Challenge) -> list[Question]:
    """The questions of one challenge, in file order; none if it has no quiz.toml."""
    path = challenge.path / FILE_NAME
    where = f"challenges/{challenge.id}/{FILE_NAME}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except tomllib.TOMLDecodeError as exc:
        raise MetadataError(where, f"it is not valid TOML ({exc})",
                            "fix the syntax on the line named.") from None
    _keys(data, TOP_KEYS, where, "")
    if data.get("format_version") != FORMAT_VERSION:
        raise MetadataError(where, f"format_version is {data.get('format_version')!r}; this grader reads "
                            f"{FORMAT_VERSION}", "upgrade the grader or fix format_version.")
    tables = data.get("questions")
    if not isinstance(tables, list) or not tables:
        raise MetadataError(where, "there are no [[questions]]", "add one, or delete the file.")
    questions = [_question(challenge.id, table, f"{where}, question {n}")
                 for n, table in enumerate(tables, 1)]
    ids = [q.id for q in questions]
    for q in questions:
        if ids.count(q.id) > 1:
            raise MetadataError(q.source, f"the id {q.id!r} is used twice", "give each question its own id.")
    return questions


def _question(challenge: str, table: Any, where: str) -> Question:
    _keys(table, QUESTION_KEYS, where, "")
    qid = _text(table, "id", where)
    if not ID.match(qid):
        raise MetadataError(where, f"id {qid!r} is not lower-case words joined by -",
                            "use, say, 'two-at-once'.")
    where = f"{where} ({qid})"
    ask = table.get("ask")
    if ask not in KINDS:
        raise MetadataError(where, f"ask is {ask!r}", f"use one of: {', '.join(KINDS)}.")
    answer = _answer(ask, table.get("answer"), where, "answer")
    choices = table.get("choices", [])
    if not isinstance(choices, list) or len(choices) == 1 or len(choices) > MAX_CHOICES:
        raise MetadataError(where, f"choices must be a list of 2 to {MAX_CHOICES} answers",
                            "list the choices, or remove the key to have the answer typed.")
    options = tuple(_answer(ask, c, where, f"choice {n}") for n, c in enumerate(choices, 1))
    _check_choices(ask, answer, options, where)
    services = _services(table.get("services", {}), where)
    return Question(challenge=challenge, id=qid, ask=ask, question=_text(table, "question", where),
                    snippet=_snippet(_text(table, "snippet", where), where), answer=answer,
                    explain=_text(table, "explain", where), choices=options, services=services,
                    service=_service(ask, table.get("service"), services, where), source=where)


def _answer(ask: str, value: Any, where: str, what: str) -> Answer:
    if ask == "output":
        lines = value.split("\n") if isinstance(value, str) else value
        if not isinstance(lines, list) or not lines or not all(isinstance(x, str) for x in lines):
            raise MetadataError(where, f"{what} must be a printed line or a list of lines",
                                f'write {what} = ["first line", "second line"].')
        return tuple(lines)
    if ask in ("result", "raises"):
        if not isinstance(value, str) or not value.strip():
            example = "'tea is ready'" if ask == "result" else "TypeError"
            raise MetadataError(where, f"{what} must be a non-empty string", f'write {what} = "{example}".')
        if ask == "raises" and value != NOTHING and not value.isidentifier():
            raise MetadataError(where, f"{what} {value!r} is not an exception name",
                                f'write a class name such as "TimeoutError", or "{NOTHING}".')
        return value.strip()
    if ask == "peak" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise MetadataError(where, f"{what} must be a whole number of calls (>= 0)", f"write {what} = 3.")
    if ask == "elapsed" and (not isinstance(value, int | float) or isinstance(value, bool) or value < 0):
        raise MetadataError(where, f"{what} must be a number of seconds (>= 0)", f"write {what} = 0.3.")
    return float(value) if ask == "elapsed" else value


def _check_choices(ask: str, answer: Answer, choices: tuple[Answer, ...], where: str) -> None:
    if choices and answer not in choices:
        raise MetadataError(where, f"the answer {answer!r} is not one of the choices",
                            "make the answer one of the choices, written the same way.")
    if len(set(choices)) < len(choices):
        raise MetadataError(where, "two choices are the same", "make every choice different.")
    if not choices and ask == "output" and len(answer) != 1:  # type: ignore[arg-type]
        raise MetadataError(where, "a typed answer must be a single line",
                            "add choices, so the learner picks the printed lines instead of typing them.")


def _snippet(code: str, where: str) -> str:
    try:
        tree = ast.parse(code)
        compile(tree, where, "exec")  # the compiler's own checks too (no `return` in except*, say)
    except SyntaxError as exc:
        raise MetadataError(where, f"the snippet has a syntax error on its line {exc.lineno} ({exc.msg})",
                            "fix the snippet: it must run as written.") from None
    for node in tree.body:
        if not isinstance(node, DEFINITIONS) and not _is_docstring(node):
            raise MetadataError(where, f"the snippet runs code at the top level (its line {node.lineno})",
                                "keep only imports and definitions: the quiz itself runs main().")
    mains = [n for n in tree.body if isinstance(n, ast.AsyncFunctionDef) and n.name == "main"]
    if not mains or mains[0].args.args or mains[0].args.posonlyargs or mains[0].args.kwonlyargs:
        raise MetadataError(where, "the snippet has no `async def main():` without parameters",
                            "define it: the quiz runs asyncio.run(main()) and observes that.")
    return code.strip("\n") + "\n"


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _services(table: Any, where: str) -> tuple[ServiceSpec, ...]:
    if not isinstance(table, dict):
        raise MetadataError(where, "services must hold [questions.services.NAME] tables",
                            "see grader/quiz/loader.py.")
    specs = []
    for name, raw in table.items():
        if not name.isidentifier():
            raise MetadataError(where, f"services.{name} is not a Python name", "name it like a function.")
        _keys(raw, SERVICE_KEYS, where, f"services.{name}.")
        latency = raw.get("latency")
        if isinstance(latency, dict):
            latency = {str(a): _seconds(s, where, f"services.{name}.latency.{a}") for a, s in latency.items()}
        else:
            latency = _seconds(latency, where, f"services.{name}.latency")
        fails = raw.get("fails", {})
        if not isinstance(fails, dict) or not all(_builtin_error(e) for e in fails.values()):
            raise MetadataError(where, f"services.{name}.fails must map arguments to built-in "
                                "exception names", 'write fails = { b = "ConnectionError" }.')
        returns = raw.get("returns", "{arg}")
        if not isinstance(returns, str) or returns.replace("{arg}", "").count("{"):
            raise MetadataError(where, f"services.{name}.returns must be text with at most {{arg}} in it",
                                'write returns = "page {arg}".')
        specs.append(ServiceSpec(name, latency, {str(a): e for a, e in fails.items()}, returns))
    return tuple(specs)


def _service(ask: str, name: Any, services: tuple[ServiceSpec, ...], where: str) -> str | None:
    names = [s.name for s in services]
    if ask != "peak":
        if name is not None:
            raise MetadataError(where, "service is only for ask = \"peak\"", "remove it.")
        return None
    if name is None and len(names) == 1:
        return names[0]
    if name not in names:
        raise MetadataError(where, f"a peak question counts the calls of one service; service is {name!r}",
                            f"set service to one of the [questions.services] tables: {names or 'none yet'}.")
    return str(name)


def _builtin_error(name: Any) -> bool:
    found = getattr(builtins, name, None) if isinstance(name, str) else None
    return isinstance(found, type) and issubclass(found, Exception)


def _seconds(value: Any, where: str, key: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 2:
        raise MetadataError(where, f"{key} must be a number of seconds from 0 to 2",
                            "keep quiz waits short (0.1 to 0.5 s), so a round takes seconds.")
    return float(value)


def _keys(table: Any, allowed: set[str], where: str, prefix: str) -> None:
    if not isinstance(table, dict):
        raise MetadataError(where, f"{prefix.rstrip('.') or 'the file'} must be a table",
                            "see grader/quiz/loader.py for the format.")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise MetadataError(where, f"unknown key {prefix}{unknown[0]}",
                            f"remove it or use one of: {', '.join(sorted(allowed))}.")


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise MetadataError(where, f"{key} must be a non-empty string", f"write the {key}.")
    return value.strip()


def load_many(challenges: list[Challenge]) -> list[Question]:
    """Every question of these challenges, challenge by challenge, in file order."""
    return [q for challenge in challenges for q in load(challenge)]


def path_of(challenge: Challenge) -> Path:
    return challenge.path / FILE_NAME
