"""Numbers as people type them in a form, read the way the page's language writes them.

A French page writes "1 250 000,50" and a Spanish one "1.250.000,50"; a form on that page reads
them back the same way, with Babel's strict parsing, which refuses groups in the wrong places.
Plain digits with a point ("1250000.50") are read too, in every language. What reads two ways
("1.250" on a Spanish page: 1250 in Spanish, 1.25 plainly) or no way is refused, never guessed.
"""

from __future__ import annotations

import contextlib
import functools
import re
from decimal import Decimal, InvalidOperation

from stocktake.core.errors import StocktakeError
from stocktake.core.translation import Text, format_number

EXAMPLE = Decimal("1250000.50")
"""The number an error shows, written in the reader's language, as the form it expects."""
PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
SPACES = "\u0020\u00a0\u2009\u202f"
"""The spaces people type between groups of digits (a plain, a no-break, a thin, a narrow one)."""


class UnreadableNumber(StocktakeError):
    """A typed number that cannot be read, or reads two ways, in the page's language."""

    def __init__(self, typed: str, language: str) -> None:
        self.typed = typed
        self.example = number_example(language)
        self.text = Text(
            "%(typed)r cannot be read as a number: write it as %(example)s or %(plain)s",
            typed=typed,
            example=self.example,
            plain=str(EXAMPLE),
        )
        super().__init__(str(self.text))


def number_example(language: str) -> str:
    """How the language writes 1250000.50: "1,250,000.50", "1 250 000,50", "1.250.000,50"."""
    return format_number(EXAMPLE, language, "#,##0.00")


@functools.lru_cache(maxsize=8)
def _signs(language: str) -> tuple[str, str]:
    """The language's decimal and group signs, as its pages write numbers."""
    from babel import Locale

    symbols = Locale.parse(language).number_symbols["latn"]
    return symbols["decimal"], symbols["group"]


def read_number(typed: str, language: str) -> Decimal | None:
    """A number typed on a page in `language` ("1 250 000,50" on a French page), or None when
    nothing was typed; raises `UnreadableNumber` for what cannot be read or reads two ways."""
    from babel.numbers import NumberFormatError, parse_decimal

    text = typed.strip()
    if not text:
        return None
    decimal, group = _signs(language)
    if group in SPACES:  # people type a plain space where the page writes a narrow one
        text = re.sub(f"[{SPACES}]", group, text)
    allowed = f"0-9.{re.escape(decimal + group)}"
    if not re.fullmatch(f"-?[{allowed}]+", text) or not re.search("[0-9]", text):
        raise UnreadableNumber(typed, language)
    readings = set()
    if PLAIN.fullmatch(text):
        readings.add(Decimal(text))
    with contextlib.suppress(NumberFormatError, InvalidOperation):
        readings.add(parse_decimal(text, locale=language, strict=True))
    if len(readings) != 1:
        raise UnreadableNumber(typed, language)
    return readings.pop()
