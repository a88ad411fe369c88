"""The reader's language: their choice (the language cookie), else the best of the six their
browser asks for (`Accept-Language`), else the process's default; and the catalogs that translate
pages and messages into it (`locale/<language>/LC_MESSAGES/<area>.po`, read with Babel).

The catalogs are compiled in memory from the `.po` files the package ships, once per language in
each server process, so that an installation needs no build step and no compiled file can lag
behind its source.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from fastapi import FastAPI, Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
"""The six official languages of the United Nations, by the codes stocktake uses everywhere."""

DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "stocktake_language"
RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar"})
ENDONYMS = {
    "ar": "العربية",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "ru": "Русский",
    "zh": "中文",
}
"""Each language named in itself, as the switch offers it."""

# How a date is written in running text: the day before the month in English ("1 Apr 2017", as
# the UN writes English); Arabic's medium form is all digits, its long form names the month
DATE_FORMATS = {"en": "d MMM y", "ar": "long"}
LOCALE = Path(__file__).resolve().parent.parent / "locale"
MAX_PREFERENCES = 20


@dataclass(frozen=True)
class Choice:
    """The language a page is shown in, and the code a reader asked for that is not one of the
    six (None when there was none), which the page then says it could not use."""

    language: str
    refused: str | None = None

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RIGHT_TO_LEFT_LANGUAGES else "ltr"


def negotiate(accept_language: str | None) -> str | None:
    """The best of the six languages for an `Accept-Language` header (its quality values
    respected, a regional variant matching its language: `fr-CA` is `fr`), or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")[:MAX_PREFERENCES]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        code = tag.strip().split("-")[0].split("_")[0].lower()
        if code in LANGUAGES and quality > 0:
            ranked.append((-quality, position, code))
    return min(ranked)[2] if ranked else None


def choose(chosen: str | None, accept_language: str | None, default: str) -> Choice:
    """The language of a page: the reader's choice when it is one of the six, the default (and
    the refused code) when it is not, else the browser's best match, else the default."""
    default = default if default in LANGUAGES else DEFAULT_LANGUAGE
    if chosen:
        if chosen in LANGUAGES:
            return Choice(chosen)
        return Choice(default, refused=chosen[:20])
    return Choice(negotiate(accept_language) or default)


def provide_default_language(app: FastAPI, lookup: Callable[[Session, str | None], str]) -> None:
    """Tell the pages how to find the process's default language by the process's slug."""
    app.state.default_language = lookup


def default_language(request: Request) -> str:
    """The process's default language, as the process domain says (`provide_default_language`),
    read through the request's database session (or a short one of its own when the request's is
    closed: an error page); English before any process is loaded."""
    lookup = getattr(request.app.state, "default_language", None)
    if lookup is None:
        return DEFAULT_LANGUAGE
    slug = request.app.state.settings.process
    try:
        session = getattr(request.state, "db", None)
        if session is not None:
            language = lookup(session, slug)
        else:
            with request.app.state.sessions() as own:
                language = lookup(own, slug)
    except SQLAlchemyError:  # an error page about the database itself still shows
        return DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def request_choice(request: Request) -> Choice:
    """The language of this request's page, worked out once per request."""
    known = getattr(request.state, "language_choice", None)
    if isinstance(known, Choice):
        return known
    choice = choose(
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language"),
        default_language(request),
    )
    request.state.language_choice = choice
    return choice


def request_language(request: Request) -> str:
    return request_choice(request).language


def cache_variant(cookie_header: bytes, accept_language: bytes) -> str:
    """What the language of an anonymous reader's page depends on, for the readers' cache: the
    chosen code (whatever it is) or else the browser's best match among the six."""
    for part in cookie_header.decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name.strip() == LANGUAGE_COOKIE:
            return "chosen:" + value.strip()[:20]
    return "asked:" + (negotiate(accept_language.decode("latin-1")) or "")


AREAS = ("messages", "consultation", "stocktaking", "negotiation", "review", "cli", "news")
"""The catalogs of each language, one per area of the product (`locale/<area>.cfg` names its files);
the frame's (`messages`) first, so that its translation of a text the areas share is the one kept."""


@functools.cache
def catalog(language: str) -> Translations:
    """The translations of one language, compiled from its areas' `.po` files (English has none:
    its messages are the catalogs' keys)."""
    if language not in LANGUAGES:
        return Translations()
    merged = Catalog(locale=language)
    for area in AREAS:
        source = LOCALE / language / "LC_MESSAGES" / f"{area}.po"
        if not source.exists():
            continue
        with source.open("rb") as po:
            for message in read_po(po, locale=language):
                if message.id and message.id not in merged:
                    merged[message.id] = message
    if not len(merged):
        return Translations()
    compiled = io.BytesIO()
    write_mo(compiled, merged)
    compiled.seek(0)
    return Translations(compiled)


def format_day(day: dt.date, language: str) -> str:
    """A date as the language writes it in running text ("1 Apr 2017", "1 avr. 2017")."""
    from babel.dates import format_date

    return format_date(day, DATE_FORMATS.get(language, "medium"), locale=language)


def format_days(start: dt.date, end: dt.date, language: str) -> str:
    """The days of a meeting as the language writes a span of dates ("4–6 déc. 2017")."""
    from babel.dates import format_interval

    # English as the UN writes it, the day before the month: "4–6 Dec 2017"
    return format_interval(start, end, "yMMMd", locale="en_GB" if language == "en" else language)


def format_number(number: float, language: str) -> str:
    """A number with the language's grouping and decimal signs ("12,345", "12 345")."""
    from babel.numbers import format_decimal

    return format_decimal(number, locale=language)


def translatable(message: str) -> str:
    """Mark a message for the catalogs (`make messages` extracts it) where it is written; it is
    translated where it is shown, in the page's language (the `translated` filter, flashes)."""
    return message


def translatable_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message that counts, in its singular and plural forms, for the catalogs."""
    return singular, plural
