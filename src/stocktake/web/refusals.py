"""The short answers the middlewares give before the app runs (a body refused or too large, a
text no database takes, a server too busy): in the reader's language, read from the request's raw
headers, as JSON under /api, a small page for a browser and plain text for other clients."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape

from starlette.types import Scope, Send

from stocktake.core.errors import Problem
from stocktake.core.translation import (
    DEFAULT_LANGUAGE,
    RIGHT_TO_LEFT_LANGUAGES,
    catalog,
    translatable,
)
from stocktake.core.translation import shown as said_in
from stocktake.web.languages import LANGUAGE_COOKIE, choose

REFUSAL_TITLES = {
    400: translatable("Not accepted"),
    413: translatable("Too large"),
    422: translatable("Not accepted"),
    503: translatable("Server busy"),
}
"""The heading of the small page a refusal shows a browser, by status."""


def refusal_language(scope: Scope) -> str:
    """The language a refusal is said in, from the request's raw headers (no session, no process
    is at hand before the app): the reader's choice in the language cookie, else the best of the
    six the browser asks for, else English."""
    headers = scope.get("headers", [])
    cookies = b";".join(value for name, value in headers if name == b"cookie")
    chosen = None
    for part in cookies.decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name.strip() == LANGUAGE_COOKIE:
            chosen = value.strip()[:20]
    asked = b",".join(value for name, value in headers if name == b"accept-language")
    return choose(chosen, asked.decode("latin-1"), DEFAULT_LANGUAGE).language


def _wants_page(scope: Scope) -> bool:
    """A browser asking for a page (it accepts HTML), rather than a program."""
    accept = b",".join(value for name, value in scope.get("headers", []) if name == b"accept")
    return b"text/html" in accept.lower()


def refusal_page(language: str, status: int, message: str) -> bytes:
    """A small page of its own (no template, no database) that says why, in `language`."""
    words = catalog(language)
    title = escape(words.gettext(REFUSAL_TITLES.get(status, "Not accepted")))
    direction = "rtl" if language in RIGHT_TO_LEFT_LANGUAGES else "ltr"
    return (
        f'<!doctype html>\n<html lang="{language}" dir="{direction}">\n<head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width, '
        f'initial-scale=1"><title>{title}</title>'
        '<link rel="stylesheet" href="/static/stocktake.css"></head>\n'
        f'<body><main id="main"><h1>{title}</h1><p>{escape(message)}</p>'
        f'<p><a href="/">{escape(words.gettext("Back to the overview"))}</a></p></main>'
        "</body>\n</html>\n"
    ).encode()


async def refuse(
    scope: Scope,
    send: Send,
    status: int,
    detail: str,
    headers: Iterable[tuple[str, str]] = (),
    *,
    problems: Sequence[Problem] = (),
) -> None:
    """A short refusal in the reader's language (`refusal_language`): JSON under /api (with the
    problems, when there are), a small page for a browser, plain text for any other client. A
    refused body may not have been read, so the connection is closed after it (except for 503,
    whose request had no body read either way and whose client will come back)."""
    language = refusal_language(scope)
    closing = [] if status == 503 else [(b"connection", b"close")]
    message = said_in(detail, language)
    if scope["path"].startswith("/api/"):
        answer: dict[str, object] = {"detail": message}
        if problems:
            answer = {
                "detail": "malformed request",
                "problems": [
                    {"where": p.where, "message": said_in(p.message, language)} for p in problems
                ],
            }
        body, kind = json.dumps(answer).encode(), "application/json"
    elif _wants_page(scope):
        body, kind = refusal_page(language, status, message), "text/html; charset=utf-8"
    else:
        body, kind = (message + "\n").encode(), "text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"content-language", language.encode()),
                *closing,
                *((k.encode(), v.encode()) for k, v in headers),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
