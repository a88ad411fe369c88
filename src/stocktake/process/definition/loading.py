"""Reading a definition from TOML, with every error located by line and key."""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)
from pydantic_core import ErrorDetails

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text
from stocktake.process.definition.checked import ProcessDefinition, _cross_checks
from stocktake.process.definitions import DEFAULT


def _loc(parts: tuple[int | str, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse_definition(text: str, source: str = "<definition>") -> ProcessDefinition:
    """Validate a TOML definition; raise ValidationFailed naming every bad line or key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed(
            source, [Problem("", Text("not valid TOML: %(reason)s", reason=str(exc)))]
        ) from exc
    locate = _Locator(text)
    try:
        definition = ProcessDefinition.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
            message = _said(error)
            problems.append(Problem(locate.where(loc), message))
        raise ValidationFailed(source, problems) from exc
    cross = _cross_checks(definition)
    if cross:
        raise ValidationFailed(
            source, [Problem(locate.where(_parse_loc(p.where)), p.message) for p in cross]
        )
    return definition


def load_definition_file(path: Path) -> ProcessDefinition:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            str(path), [Problem("", Text("not UTF-8 text: %(reason)s", reason=str(exc)))]
        ) from exc
    except OSError as exc:
        raise ValidationFailed(
            str(path), [Problem("", Text("cannot read: %(reason)s", reason=exc.strerror))]
        ) from exc
    return parse_definition(text, source=str(path))


def _said(error: ErrorDetails) -> str:
    """What a key of the definition has wrong: our validators' own marked message, our words for
    an unknown or missing key, else pydantic's (English) message."""
    if error["type"] == "extra_forbidden":
        return Text("unknown key")
    if error["type"] == "missing":
        return Text("required key is missing")
    raised = (error.get("ctx") or {}).get("error")
    if isinstance(raised, ValueError) and raised.args and isinstance(raised.args[0], Text):
        return raised.args[0]
    return error["msg"].removeprefix("Value error, ")


def default_definition_path() -> Path:
    """The definition shipped as the default process (`definitions/__init__.py` names it)."""
    return DEFAULT


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and part.startswith("function-")


def _parse_loc(text: str) -> tuple[int | str, ...]:
    parts: list[int | str] = []
    for name, index in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", text):
        parts.append(int(index) if index else name)
    return tuple(parts)


class _Locator:
    """Finds the line of a key path such as phases[2].end in the TOML text (best effort)."""

    _header = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?\s*(?:#.*)?$")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def where(self, loc: tuple[int | str, ...]) -> str:
        label = _loc(loc)
        line = self._line_of(loc)
        return f"line {line}, {label}" if line else label

    def _line_of(self, loc: tuple[int | str, ...]) -> int | None:
        if not loc or not isinstance(loc[0], str):
            return None
        # the table is the longest dotted run of leading names that heads a table in the file
        # (`frame.objectives` for frame.objectives[2].title, `frame` for frame.source)
        names = list(itertools.takewhile(lambda p: isinstance(p, str), loc))
        headers = {m.group(1) for line in self.lines if (m := self._header.match(line))}
        size = next(
            (n for n in range(len(names), 0, -1) if ".".join(map(str, names[:n])) in headers), 1
        )
        table = ".".join(map(str, names[:size]))
        after = loc[size:]
        index = after[0] if after and isinstance(after[0], int) else 0
        rest = [
            p
            for p in after[1 if after and isinstance(after[0], int) else 0 :]
            if isinstance(p, str)
        ]
        seen = -1
        start = None
        for number, line in enumerate(self.lines, 1):
            match = self._header.match(line)
            if match and match.group(1) == table:
                seen += 1
                if seen == index:
                    start = number
                    break
        if start is None:
            return None
        if not rest:
            return start
        key = re.compile(rf"^\s*{re.escape(rest[-1])}\s*=")
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            match = self._header.match(line)
            if match and not match.group(1).startswith(f"{table}."):
                break
            if key.match(line):
                return number + 1
        return start
