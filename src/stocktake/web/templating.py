"""Jinja2 templates with the helpers every page uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.core.errors import Problem, problem_shown, where_shown
from stocktake.core.permissions import STAFF_LABEL, Permission, Principal, who_acted
from stocktake.core.translation import format_moment, shown, translated
from stocktake.web.deps import asked_with_user, csrf_token
from stocktake.web.flash import pop_flashes
from stocktake.web.frame import language_switch, site_nav
from stocktake.web.languages import (
    DEFAULT_LANGUAGE,
    ENDONYMS,
    LANGUAGES,
    catalog,
    format_day,
    format_days,
    format_number,
    request_choice,
)
from stocktake.web.names import english_word

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "ku", "yi", "dv", "sd", "ug"})


def text_attributes(language: str | None) -> Markup:
    """lang and dir for an element showing text in a given language: right-to-left scripts get
    dir="rtl", the others dir="ltr" (so that English reads as written on an Arabic page); an
    undetermined language gets dir="auto" so the browser decides from the text."""
    code = (language or "und").split("-")[0].lower()
    if code in RIGHT_TO_LEFT:
        return Markup(f' lang="{escape(language)}" dir="rtl"')  # noqa: S704 (escaped)
    if code in ("", "und"):
        return Markup(' dir="auto"')
    return Markup(f' lang="{escape(language)}" dir="ltr"')  # noqa: S704 (escaped)


_page_language: ContextVar[str] = ContextVar("page_language", default=DEFAULT_LANGUAGE)
"""The language of the page being rendered, for the macros a template imports: an imported
template does not see the page's context, so its texts find the language here."""


def _language(context: Context) -> str:
    language = context.get("page_language") or _page_language.get()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@pass_context
def _gettext(context: Context, message: str) -> str:
    return catalog(_language(context)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, count: int) -> str:
    return catalog(_language(context)).ngettext(singular, plural, count)


@pass_context
def _pgettext(context: Context, where: str, message: str) -> str:
    return str(catalog(_language(context)).pgettext(where, message))


@pass_context
def _npgettext(context: Context, where: str, singular: str, plural: str, count: int) -> str:
    return catalog(_language(context)).npgettext(where, singular, plural, count)


@pass_context
def _translated(context: Context, message: str) -> str:
    """A message written elsewhere (marked `translatable`), in the page's language: not a
    format string, so a `%` in it is kept as it is."""
    return translated(message, _language(context))


@pass_context
def _said(context: Context, message: object) -> str:
    """What a service said is wrong (a `Problem`, a `Text` or a plain message), in the page's
    language where the catalogs have it."""
    language = _language(context)
    if isinstance(message, Problem):
        return problem_shown(message, language, isolate=True)
    return shown(message, language, isolate=True)


@pass_context
def _place(context: Context, where: str) -> str:
    """Where a problem is ("row 12, field country"), in the page's language."""
    return where_shown(where, _language(context), isolate=True)


@pass_context
def _word(context: Context, key: str | None, kind: str) -> str:
    """A stored key (a role, a status) by its name in the page's language (`web.names`)."""
    name, known = english_word(kind, str(key or ""))
    return translated(name, _language(context)) if known else name


@pass_context
def _word_pairs(context: Context, keys: Any, kind: str) -> list[tuple[str, str]]:
    """Stored keys with their names in the page's language, for a select's choices."""
    return [(key, _word(context, key, kind)) for key in keys]


@pass_context
def _named_terms(context: Context, terms: Any) -> list[tuple[str, str]]:
    """Terms of the process definition as (key, name in the page's language), for a select."""
    return [(term.key, _named(context, term.names, term.name)) for term in terms]


@pass_context
def _day(context: Context, day: dt.date) -> str:
    return format_day(day, _language(context))


@pass_context
def _moment(context: Context, moment: dt.datetime) -> str:
    """A date and time (UTC) as the page's language writes them."""
    return format_moment(moment, _language(context))


@pass_context
def _days(context: Context, start: dt.date, end: dt.date) -> str:
    return format_days(start, end, _language(context))


@pass_context
def _number(context: Context, number: float) -> str:
    return format_number(number, _language(context))


@pass_context
def _listed(context: Context, names: Any) -> str:
    """Names listed as the page's language lists them: "Guatemala and Honduras", "Guatemala et
    Honduras", "غواتيمالا وهندوراس", "危地马拉和洪都拉斯"."""
    from babel.lists import format_list

    return format_list([str(name) for name in names], style="standard", locale=_language(context))


@pass_context
def _decimals(context: Context, number: float) -> str:
    """A number with two decimals, as the language writes it ("250,000.00", "250 000,00")."""
    return format_number(number, _language(context), "#,##0.00")


@pass_context
def _translated_items(context: Context, labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """A mapping of keys to marked texts as (key, text in the page's language) pairs: the
    choices of a select whose names are marked `translatable`."""
    language = _language(context)
    return [(key, translated(text, language)) for key, text in labels.items()]


@pass_context
def _named(context: Context, names: Mapping[str, str] | None, fallback: str) -> str:
    """A name in the page's language when the names given have one, else the fallback."""
    return (names or {}).get(_language(context)) or fallback


@pass_context
def _term_named(context: Context, process: Any, vocabulary: str, key: str) -> str:
    """The name of a process vocabulary's term (an actor kind, a meeting type...) in the page's
    language where the definition gives one, else its English name, else the key itself."""
    terms = _TERMS.get(process)
    if terms is None:  # once per process object, that is once per request: a list asks for many
        terms = _TERMS[process] = {(t.vocabulary, t.key): t for t in reversed(process.terms)}
    term = terms.get((vocabulary, key))
    if term is None:
        return key
    return str((term.names or {}).get(_language(context)) or term.name)


_TERMS: WeakKeyDictionary[Any, dict[tuple[str, str], Any]] = WeakKeyDictionary()


@pass_context
def _titled(context: Context, text: str, process: Any = None) -> str:
    """A title in the page's language where it is the process's name and the definition gives
    that name in the language (`Process.titled`), else as written."""
    titled = getattr(process, "titled", None)
    return str(titled(text, _language(context))) if titled is not None else text


@pass_context
def _shown(context: Context, shown: Any, length: int | None = None) -> Markup:
    """A text shown with the language it is written in (anything with `text` and `language`,
    such as an objective's title): marked with its language (lang, dir) where that is not the
    page's; `length` shortens it as `truncate` does."""
    text = str(shown.text)
    if length is not None and len(text) > length:
        text = text[: length - 3].rsplit(" ", 1)[0] + "..."
    if shown.language == _language(context):
        return escape(text)
    return Markup(f"<span{text_attributes(shown.language)}>{escape(text)}</span>")  # noqa: S704


@pass_context
def _language_name(context: Context, code: str, fallback: str | None = None) -> str:
    """A language's name (from its ISO 639 code) as the page's language writes it; English keeps
    the fallback given (the name the product stores), and an unknown code shows the fallback."""
    language = _language(context)
    if language != "en":
        from babel import Locale

        name = Locale.parse(language).languages.get(code)
        if name:
            return str(name)
    return fallback or code


@pass_context
def _who_acted(context: Context, label: str, by: Principal, *, otherwise: str | None = None) -> str:
    """`who_acted` on a page: the neutral label in the page's language."""
    if otherwise is None:
        otherwise = translated(STAFF_LABEL, _language(context))
    return who_acted(label, by, otherwise=otherwise)


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
)
templates.env.filters["text_attributes"] = text_attributes
templates.env.globals["Permission"] = Permission
templates.env.globals["who_acted"] = _who_acted
templates.env.globals["LANGUAGE_NAMES"] = ENDONYMS
templates.env.globals["site_nav"] = site_nav
templates.env.globals["language_switch"] = language_switch
templates.env.filters["thousands"] = _number
templates.env.filters["day"] = _day
templates.env.filters["number"] = _number
templates.env.filters["days"] = _days
templates.env.filters["moment"] = _moment
templates.env.filters["translated"] = _translated
templates.env.filters["said"] = _said
templates.env.filters["place"] = _place
templates.env.filters["named"] = _named
templates.env.filters["word"] = _word
templates.env.filters["word_pairs"] = _word_pairs
templates.env.filters["named_terms"] = _named_terms
templates.env.filters["term_named"] = _term_named
templates.env.filters["language_name"] = _language_name
templates.env.filters["shown"] = _shown
templates.env.filters["titled"] = _titled
templates.env.filters["decimals"] = _decimals
templates.env.filters["listed"] = _listed
templates.env.filters["translated_items"] = _translated_items
templates.env.filters["pair"] = lambda value: (value, value)
templates.env.filters["zip_names"] = lambda keys, process, vocabulary: [
    (key, process.term_name(vocabulary, key)) for key in keys
]


class LazyCsrfToken:
    """The session's CSRF token, made only when a page prints it: a page without a form starts no
    session, so a visitor who only reads gets no cookie (and the page can be shared by all)."""

    def __init__(self, request: Request) -> None:
        self.request = request

    def __str__(self) -> str:
        return csrf_token(self.request)

    def __html__(self) -> str:
        return str(escape(str(self)))


def provide_unread_count(app: FastAPI, count: Callable[[Session, int], int]) -> None:
    """Tell the frame how to count a signed-in user's unread notifications."""
    app.state.unread_count = count


UNREAD = "unread_notifications"


def unread_count(request: Request, principal: Principal) -> int:
    """The signed-in user's unread notifications, shown in the frame; none for the public. Read
    with the signed-in user when nothing was committed since (`web.deps.ask_with_user`), else
    counted now."""
    count = getattr(request.app.state, "unread_count", None)
    session = getattr(request.state, "db", None)
    if count is None or principal.user_id is None or session is None:
        return 0
    signed_in = getattr(request.state, "principal", None)
    asked = asked_with_user(session, UNREAD)
    if asked is not None and signed_in is not None and signed_in.user_id == principal.user_id:
        return int(asked)
    try:
        return int(count(session, principal.user_id))
    except SQLAlchemyError:  # an error page about the database itself still shows
        return 0


def render(
    request: Request,
    name: str,
    principal: Principal,
    status_code: int = 200,
    **context: Any,
) -> Response:
    choice = request_choice(request)
    context.update(
        principal=principal,
        csrf_token=LazyCsrfToken(request),
        flashes=pop_flashes(request, choice.language),
        page_language=choice.language,
        unread_notifications=unread_count(request, principal),
        page_direction=choice.direction,
        language_refused=choice.refused,
        # on an element whose text exists in English only (a process's own name and description)
        english=Markup("") if choice.language == "en" else Markup(' lang="en" dir="ltr"'),
    )
    token = _page_language.set(choice.language)
    try:
        response = templates.TemplateResponse(request, name, context, status_code=status_code)
    finally:
        _page_language.reset(token)
    response.headers["Content-Language"] = choice.language
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response
