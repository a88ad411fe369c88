"""Errors the services raise; the web, API and CLI layers turn them into responses and messages."""

from __future__ import annotations

from dataclasses import dataclass


class StocktakeError(Exception):
    """Base of the errors a user can act on."""


class NotFound(StocktakeError):
    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key!r} does not exist")
        self.what = what
        self.key = key


class PermissionDenied(StocktakeError):
    def __init__(self, permission: str, detail: str = "") -> None:
        message = f"not allowed: {permission}"
        super().__init__(f"{message} ({detail})" if detail else message)
        self.permission = permission


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file, line, row, key or field) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ValidationFailed(StocktakeError):
    """Input refused whole; `problems` names every bad place."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source}: refused, nothing stored ({len(problems)} problem(s))\n{lines}")


class Conflict(StocktakeError):
    """The action clashes with what is stored (a duplicate, a state that forbids it)."""


class Throttled(StocktakeError):
    """Too many attempts in a short time; the caller may try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
