"""Errors the services raise; the web, API and CLI layers turn them into responses and messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stocktake.core.translation import (
    DEFAULT_LANGUAGE,
    RIGHT_TO_LEFT_LANGUAGES,
    Text,
    isolated,
    shown,
    text_data,
    text_of_data,
    translatable,
    translated,
)


class StocktakeError(Exception):
    """Base of the errors a user can act on. Its message is best a `Text`, so that each reader
    sees it in their language (`message_of`)."""


def message_of(exc: BaseException) -> str:
    """What an error says, as given: a `Text` (to be shown in the reader's language) when it was
    raised with one, else its English string."""
    text = getattr(exc, "text", None)
    if isinstance(text, Text):
        return text
    if len(exc.args) == 1 and isinstance(exc.args[0], Text):
        return exc.args[0]
    return str(exc)


class NotFound(StocktakeError):
    def __init__(self, what: str, key: object) -> None:
        self.text = Text("%(what)s %(key)r does not exist", what=what, key=key)
        super().__init__(str(self.text))
        self.what = what
        self.key = key


class PermissionDenied(StocktakeError):
    def __init__(self, permission: str, detail: str = "") -> None:
        self.text = (
            Text("not allowed: %(permission)s (%(detail)s)", permission=permission, detail=detail)
            if detail
            else Text("not allowed: %(permission)s", permission=permission)
        )
        super().__init__(str(self.text))
        self.permission = permission


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, line, row, key or field) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


_PLACES: dict[str, Callable[[str], Text]] = {
    "row": lambda place: Text("row %(place)s", place=place),
    "line": lambda place: Text("line %(place)s", place=place),
    "column": lambda place: Text("column %(place)s", place=place),
    "field": lambda place: Text("field %(place)s", place=place),
    "byte": lambda place: Text("byte %(place)s", place=place),
    "sheet": lambda place: Text("sheet %(place)s", place=place),
    "paragraph": lambda place: Text("paragraph %(place)s", place=place),
}
_PLACE = re.compile(r"(?:(\S+) )?(row|line|column|field|byte|sheet|paragraph) (\S.*)", re.DOTALL)
_WORDS = {"header": Text("header")}
"""Places named by a word alone: a file's first row, of its columns' names."""
_SEPARATOR = translatable(", ")
_PLACED = translatable("%(where)s: %(message)s")
"""A problem after its place, with the language's colon ("ligne 3 : …", "第 3 行：…")."""


def where_shown(where: str, language: str, *, isolate: bool = False) -> str:
    """Where a problem is, in `language`: each part the readers and importers name a place with
    ("row 12", "field country", "sheet Inputs", "line 3", "paragraph 4", after a file's name or
    not) in its words, the values (numbers, a file's own column and sheet names) as they are
    ("ligne 12, champ country").
    A part of another form (a definition's key, a file's name) is left as it is. With `isolate`, on
    a right-to-left page the values are set apart from the sentence's direction."""
    if language == DEFAULT_LANGUAGE or not where:
        return where
    right_to_left = isolate and language in RIGHT_TO_LEFT_LANGUAGES
    parts = []
    for part in where.split(", "):
        found = _PLACE.fullmatch(part)
        if part in _WORDS:
            parts.append(shown(_WORDS[part], language))
            continue
        if found is None:
            parts.append(isolated(part) if right_to_left else part)
            continue
        file, word, place = found.groups()
        said = shown(_PLACES[word](place), language, isolate=isolate)
        if file:  # "data/indicator_1-1-1.csv row 4": the file's name as it is
            said = f"{isolated(file) if right_to_left else file} {said}"
        parts.append(said)
    return translated(_SEPARATOR, language).join(parts)


def problem_shown(problem: Problem, language: str, *, isolate: bool = False) -> str:
    """A problem as a page, a flash or a command says it, in `language` ("row 2, field country:
    unknown country 'Narnia'"). With `isolate` (a page), on a right-to-left page where it is and
    the values it quotes are set apart from the sentence's direction."""
    message = shown(problem.message, language, isolate=isolate)
    if not problem.where:
        return message
    where = where_shown(problem.where, language, isolate=isolate)
    return translated(_PLACED, language) % {"where": where, "message": message}


def problems_data(problems: list[Problem]) -> list[dict[str, object]]:
    """Problems as JSON keeps them (a failed job's result), each message still translatable."""
    return [{"where": p.where, "message": text_data(p.message)} for p in problems]


def problems_of_data(data: object) -> list[Problem]:
    """Problems kept by `problems_data`, as they were raised."""
    problems = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict):
            message = text_of_data(item.get("message", ""))
            problems.append(
                Problem(
                    str(item.get("where", "")),
                    message if isinstance(message, str) else str(message),
                )
            )
    return problems


class ValidationFailed(StocktakeError):
    """Input refused whole; `problems` names every bad place."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        counted = f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")
        super().__init__(f"{source}: refused, nothing stored ({counted})\n{lines}")


class Conflict(StocktakeError):
    """The action clashes with what is stored (a duplicate, a state that forbids it)."""


class Throttled(StocktakeError):
    """Too many attempts in a short time; the caller may try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
