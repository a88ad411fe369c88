"""Jinja2 templates with the helpers every page uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import Response

from stocktake.core.permissions import Permission, Principal, who_acted
from stocktake.web.deps import csrf_token
from stocktake.web.flash import pop_flashes

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "ps", "ku", "yi", "dv", "sd", "ug"})


def text_attributes(language: str | None) -> Markup:
    """lang and dir for an element showing text in a given language: right-to-left scripts get
    dir="rtl"; an undetermined language gets dir="auto" so the browser decides from the text."""
    code = (language or "und").split("-")[0].lower()
    if code in RIGHT_TO_LEFT:
        return Markup(f' lang="{escape(language)}" dir="rtl"')  # noqa: S704 (escaped)
    if code in ("", "und"):
        return Markup(' dir="auto"')
    return Markup(f' lang="{escape(language)}"')  # noqa: S704 (escaped)


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters["text_attributes"] = text_attributes
templates.env.globals["Permission"] = Permission
templates.env.globals["who_acted"] = who_acted
templates.env.filters["thousands"] = lambda n: f"{n:,}"
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


def render(
    request: Request,
    name: str,
    principal: Principal,
    status_code: int = 200,
    **context: Any,
) -> Response:
    context.update(
        principal=principal, csrf_token=LazyCsrfToken(request), flashes=pop_flashes(request)
    )
    return templates.TemplateResponse(request, name, context, status_code=status_code)
