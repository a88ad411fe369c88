"""Punctuation as each language sets it around words: French puts a narrow no-break space
(U+202F) before : and ; and inside « », Chinese writes full-width marks, and each language quotes
with its own marks. One table each, for every paper and page that assembles such marks itself
(the catalogs carry the marks inside their own sentences)."""

from __future__ import annotations

NARROW = "\u202f"
"""The narrow no-break space French sets before : ; ? ! and inside « »."""

_COLONS = {"fr": f"{NARROW}: ", "zh": "："}
_SEMICOLONS = {"fr": f"{NARROW}; ", "ar": "؛ ", "zh": "；"}
QUOTES = {
    "en": ("“", "”"),
    "fr": (f"«{NARROW}", f"{NARROW}»"),
    "es": ("«", "»"),
    "ru": ("«", "»"),
    "ar": ("«", "»"),
    "zh": ("“", "”"),
}
"""The quotation marks around quoted words, by language; English's in any other."""


def colon(language: str) -> str:
    """A colon and the space after it, as `language` sets them: "Variante 1 : " (U+202F)."""
    return _COLONS.get(language, ": ")


def semicolon(language: str) -> str:
    """A semicolon between the parts of a line, as `language` sets it."""
    return _SEMICOLONS.get(language, "; ")


def quote_marks(language: str) -> tuple[str, str]:
    """The opening and closing quotation marks of `language`."""
    return QUOTES.get(language, QUOTES["en"])


def quoted(words: str, language: str) -> str:
    """Words quoted as `language` quotes them: “words”, « words » (U+202F inside), «слова»."""
    opening, closing = quote_marks(language)
    return f"{opening}{words}{closing}"
