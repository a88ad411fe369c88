"""What comes from outside, checked once before anything uses it: texts that hold no NUL and no
lone surrogate (no database stores either, and no encoder writes a lone surrogate), and JSON
(a request body or an uploaded file) within bounds of depth and number length."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from itertools import islice
from typing import Any

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text

MAX_JSON_DEPTH = 64
"""Arrays and objects nested deeper than this are refused: no shape stocktake reads nests more
than a few levels, and a deep one would exhaust the parser's stack."""
MAX_NUMBER_CHARS = 100
"""A JSON number longer than this (digits, sign, point and exponent) is refused: no count, id or
measure needs more, and converting a very long one costs time (Python refuses integers of more
than 4,300 digits outright)."""
MAX_PROBLEMS = 20

UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""NUL, the control characters other than tab, line feed and carriage return, lone surrogates and
the two non-characters U+FFFE and U+FFFF: no database stores NUL, no encoder writes a lone
surrogate, and no XML document (a workbook, a DOCX, Akoma Ntoso) may hold any of them."""
NUL_MESSAGE = Text("contains a NUL character (U+0000), which is not accepted")
SURROGATE_MESSAGE = Text("contains a lone surrogate (U+D800 to U+DFFF), which is not a character")


def unstorable_character(text: str) -> str | None:
    """Why the text cannot be taken (a NUL, a control character, a lone surrogate or a
    non-character in it), or None when it can."""
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    character = found.group()
    if character == "\x00":
        return NUL_MESSAGE
    if "\ud800" <= character <= "\udfff":
        return SURROGATE_MESSAGE
    return Text(
        "contains the control character %(character)s, which is not accepted; only tab and "
        "line breaks are",
        character=f"U+{ord(character):04X}",
    )


NOT_UTF8 = Text("is not UTF-8 text: a byte sequence in it encodes no character")
ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
"""A byte that was not part of UTF-8 text, as `surrogateescape` keeps it."""


def unreadable_character(text: str) -> str | None:
    """As `unstorable_character`, for text decoded with `surrogateescape`: a byte that was not
    part of UTF-8 text is named as such."""
    if ESCAPED_BYTE.search(text):  # every field of every form: one scan in C, not per character
        return NOT_UTF8
    return unstorable_character(text)


def xml_safe(text: str) -> str:
    """The text without the characters no XML document may hold (control characters but tab and
    line breaks, lone surrogates, U+FFFE and U+FFFF): for text that came in before they were
    refused, or from a file's own extraction (a PDF's form feeds)."""
    return UNSTORABLE.sub("", text.replace("\x0c", "\n"))


def shown(text: str) -> str:
    """The text with its NULs and lone surrogates written as escapes, so that a message naming it
    can be written out."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


class NotJson(ValidationFailed):
    """The content is not JSON at all (or not UTF-8): a syntax error, located."""


class _LongNumber:
    """A number too long to convert, kept as its first characters so that the walk names it."""

    def __init__(self, text: str) -> None:
        self.text = text


def _number(convert: type[int] | type[float]) -> Any:
    def parse(text: str) -> Any:
        return _LongNumber(text) if len(text) > MAX_NUMBER_CHARS else convert(text)

    return parse


def parse_json(content: bytes | str, source: str, *, where: str = "") -> Any:
    """The JSON value of `content` (UTF-8, a byte order mark allowed), refused whole with each
    problem located (`where.key.0.key`) when it nests deeper than MAX_JSON_DEPTH, holds a number
    longer than MAX_NUMBER_CHARS or a text (a value or a key) with a NUL or a lone surrogate.
    NotJson when it is not JSON at all."""
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        data = json.loads(text, parse_int=_number(int), parse_float=_number(float))
    except UnicodeDecodeError as exc:
        raise NotJson(source, [Problem(f"byte {exc.start}", Text("invalid UTF-8"))]) from exc
    except json.JSONDecodeError as exc:
        raise NotJson(
            source,
            [
                Problem(
                    f"line {exc.lineno}, column {exc.colno}",
                    Text("not valid JSON: %(reason)s", reason=exc.msg),
                )
            ],
        ) from exc
    except RecursionError as exc:
        raise ValidationFailed(source, [_too_deep(where)]) from exc
    problems = list(islice(_problems(data, where), MAX_PROBLEMS))
    if problems:
        raise ValidationFailed(source, problems)
    return data


def _too_deep(where: str) -> Problem:
    return Problem(where, Text("nested deeper than %(num)s levels", num=MAX_JSON_DEPTH))


def _problems(data: Any, where: str) -> Iterator[Problem]:
    """Every problem of a parsed value, outermost first, without recursion."""
    stack: list[tuple[Any, str, int]] = [(data, where, 0)]
    while stack:
        value, at, depth = stack.pop()
        if isinstance(value, str):
            if reason := unstorable_character(value):
                yield Problem(at, reason)
        elif isinstance(value, _LongNumber):
            yield Problem(
                at, Text("a number of more than %(num)s characters", num=MAX_NUMBER_CHARS)
            )
        elif isinstance(value, float) and not math.isfinite(value):
            yield Problem(
                at, Text("not a finite number (NaN, Infinity or beyond a double's range)")
            )
        elif isinstance(value, list | dict):
            if depth >= MAX_JSON_DEPTH:
                yield _too_deep(at)
                continue
            items = value.items() if isinstance(value, dict) else enumerate(value)
            children = []
            for key, item in items:
                path = f"{at}.{shown(str(key))}" if at else shown(str(key))
                if isinstance(key, str) and (reason := unstorable_character(key)):
                    yield Problem(path, Text("a name that %(reason)s", reason=reason))
                children.append((item, path, depth + 1))
            stack.extend(reversed(children))
