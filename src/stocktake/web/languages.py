"""The reader's language: their choice (the language cookie), else the best of the six their
browser asks for (`Accept-Language`), else the process's default; and the catalogs that translate
pages and messages into it (`locale/<language>/LC_MESSAGES/<area>.po`, read with Babel).

The catalogs are compiled in memory from the `.po` files the package ships, once per language in
each server process, so that an installation needs no build step and no compiled file can lag
behind its source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI, Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

# the languages and catalogs themselves live in the core, which the command line shares without
# the web; the pages import them from here as before
from stocktake.core.translation import (
    AREAS,
    DATE_FORMATS,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LOCALE,
    RIGHT_TO_LEFT_LANGUAGES,
    catalog,
    format_day,
    format_days,
    format_number,
    translatable,
    translatable_plural,
)

__all__ = [  # what this module re-exports from the core
    "AREAS",
    "DATE_FORMATS",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LOCALE",
    "RIGHT_TO_LEFT_LANGUAGES",
    "catalog",
    "format_day",
    "format_days",
    "format_number",
    "translatable",
    "translatable_plural",
]

LANGUAGE_COOKIE = "stocktake_language"
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
