"""What every request passes through before any handler, besides admission (web/admission.py)
and the client's address (web/proxies.py): the anonymous readers' cache, the body size limit and
the security headers. Plain ASGI, so that nothing is read or computed for a refused request."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stocktake.core.errors import Problem, ValidationFailed, problem_shown
from stocktake.core.translation import Counted, Text
from stocktake.core.untrusted import (
    MAX_PROBLEMS,
    NotJson,
    parse_json,
    shown,
    unreadable_character,
    unstorable_character,
)
from stocktake.web.languages import cache_variant
from stocktake.web.refusals import refusal_language, refuse

CacheKey = tuple[str, bytes, str, bytes, bool, str]


class Kept(NamedTuple):
    expires: float
    start: Message
    body: bytes


class PublicCache:
    """What an anonymous reader is shown, kept for a few seconds and shared by every anonymous
    reader of the same address (the "micro-cache" a reverse proxy would keep).

    Answers are kept apart by language (`languages.cache_variant`: the language cookie's value,
    else the best of the six the browser asks for). Only a GET without a session cookie or an
    Authorization header is served from it, and only a
    200 answer that starts no session and is not marked `no-store` or `private` is kept (at most
    `max_bytes` of body, at most `max_entries` addresses and `max_total_bytes` in all), and never one whose request turned out
    signed in. Whoever is signed in never reads from it, so the author of a change sees it at once; the public sees it after at most `seconds`,
    or twice that while another request is fetching the new answer. When an answer has expired,
    one request fetches it again and the others meanwhile get the one kept (or wait for the new
    one when none is kept): a crowd on one page costs one rendering, not one each.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        seconds: float,
        session_cookie: str,
        max_entries: int = 1000,
        max_total_bytes: int = 32 * 2**20,
        max_bytes: int = 512 * 1024,
    ) -> None:
        self.app, self.seconds = app, seconds
        # the name alone, in any case: the app's cookie parser allows spaces before the "="
        self.cookie = session_cookie.lower().encode()
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.max_total_bytes = max_total_bytes
        self._entries: dict[CacheKey, Kept] = {}
        self._fetching: dict[CacheKey, asyncio.Future[None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        if (
            scope["method"] != "GET"
            or any(name == b"authorization" for name, _ in headers)
            or any(name == b"cookie" and self.cookie in value.lower() for name, value in headers)
        ):
            await self.app(scope, receive, send)
            return
        host = next((value for name, value in headers if name == b"host"), b"")
        gzip = any(name == b"accept-encoding" and b"gzip" in value for name, value in headers)
        # the page's language: the reader's choice, else what the browser asks for
        language = cache_variant(
            b";".join(value for name, value in headers if name == b"cookie"),
            b",".join(value for name, value in headers if name == b"accept-language"),
        )
        key = (scope["scheme"], host, scope["path"], scope.get("query_string", b""), gzip, language)
        now = asyncio.get_running_loop().time()
        kept = self._entries.get(key)
        if kept is not None and kept.expires > now:
            await self._replay(kept, send)
            return
        fetching = self._fetching.get(key)
        if fetching is not None:
            if kept is not None and kept.expires + self.seconds > now:
                await self._replay(kept, send)
                return
            await asyncio.wait({fetching}, timeout=30)
            kept = self._entries.get(key)
            if kept is not None:
                await self._replay(kept, send)
            else:  # the answer was not one to keep
                await self.app(scope, receive, send)
            return
        self._fetching[key] = asyncio.get_running_loop().create_future()
        try:
            await self._fetch(key, scope, receive, send)
        finally:
            self._fetching.pop(key).set_result(None)

    async def _fetch(self, key: CacheKey, scope: Scope, receive: Receive, send: Send) -> None:
        # an answer is as old as the data it read: its time counts from when it was asked for
        asked = asyncio.get_running_loop().time()
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def keeping_send(message: Message) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                start = message
                keep = message["status"] == 200 and _shareable(message.get("headers", []))
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                keep = size <= self.max_bytes
            await send(message)

        await self.app(scope, receive, keeping_send)
        now = asyncio.get_running_loop().time()
        session = scope.get("session")
        if isinstance(session, dict) and session.get("user_id") is not None:
            keep = False  # signed in after all: whatever the cookie looked like, not for the public
        if not keep or start is None:
            self._entries.pop(key, None)
            return
        body = b"".join(chunks)
        if not self._room_for(body):
            for old in [
                k for k, kept in self._entries.items() if kept.expires + self.seconds <= now
            ]:
                del self._entries[old]
        if key in self._entries or self._room_for(body):
            self._entries[key] = Kept(asked + self.seconds, start, body)

    def _room_for(self, body: bytes) -> bool:
        """Whether one more answer fits: at most `max_entries` of them, `max_total_bytes` in all
        (distinct addresses, such as searches, cannot fill the memory)."""
        kept = sum(len(entry.body) for entry in self._entries.values())
        return len(self._entries) < self.max_entries and kept + len(body) <= self.max_total_bytes

    @staticmethod
    async def _replay(kept: Kept, send: Send) -> None:
        await send(kept.start)
        await send({"type": "http.response.body", "body": kept.body})


def _shareable(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name.lower() == b"set-cookie":
            return False
        if name.lower() == b"cache-control" and (b"no-store" in value or b"private" in value):
            return False
    return True


class BodyTooLarge(HTTPException):
    """A request body over its limit, found while it was being read (answered 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


def _too_large(limit: int) -> Text:
    return Text("The request body is larger than the limit of %(num)s bytes.", num=Counted(limit))


class BodyLimit:
    """Refuse a body over its limit before it is read: by its declared length at once, and by
    counting when it comes in chunks. File uploads (multipart) may be as large as the upload limit
    allows; any other body (JSON, forms) has a smaller limit."""

    def __init__(self, app: ASGIApp, *, upload_bytes: int, body_bytes: int) -> None:
        self.app, self.upload_bytes, self.body_bytes = app, upload_bytes, body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        multipart = headers.get(b"content-type", b"").startswith(b"multipart/")
        # a multipart body carries its boundaries and other fields besides the file
        limit = self.upload_bytes + 64 * 1024 if multipart else self.body_bytes
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await refuse(scope, send, 400, Text("Content-Length is not a number."))
                return
            if int(declared) > limit:
                await self._too_large(scope, send, limit)
                return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge as exc:
            if not started:
                await refuse(scope, send, exc.status_code, exc.detail)

    @staticmethod
    async def _too_large(scope: Scope, send: Send, limit: int) -> None:
        await refuse(scope, send, 413, _too_large(limit))


class InputGuard:
    """Every text a request brings (the path, each query parameter, each field of a form or of a
    JSON body) is refused with 422 naming the field when it holds a NUL or a lone surrogate, and a
    JSON body when it nests too deep or holds a number too long (`stocktake.core.untrusted`):
    before any handler parses it, so that none has to. A body that is not JSON at all is left to
    the handler, which says so. Inside the body limit: what it reads is already bounded."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problems = _url_problems(scope)
        kind = _body_kind(scope)
        body = b""
        if not problems and kind:
            body, receive = await _buffered(receive)
            problems = _body_problems(kind, body)
        if problems:
            await _refuse_fields(scope, send, problems)
            return
        await self.app(scope, receive, send)


def _url_problems(scope: Scope) -> list[Problem]:
    if reason := unstorable_character(scope["path"]):
        return [Problem("path", reason)]
    query = scope.get("query_string", b"").decode("latin-1")
    return _pairs_problems("query", _pairs(query))


def _pairs(encoded: str) -> list[tuple[str, str]]:
    """The fields of a query or form, their percent-escapes decoded as UTF-8; a byte that is not
    part of UTF-8 text is kept as a lone surrogate (U+DC80 to U+DCFF) so that it is refused, not
    silently replaced by U+FFFD."""
    return parse_qsl(encoded, keep_blank_values=True, errors="surrogateescape")


def _pairs_problems(where: str, pairs: list[tuple[str, str]]) -> list[Problem]:
    problems = []
    for name, value in pairs:
        if reason := unreadable_character(name) or unreadable_character(value):
            problems.append(Problem(f"{where}.{shown(name)}", reason))
    return problems[:MAX_PROBLEMS]


def _body_kind(scope: Scope) -> str:
    """ "json" or "form" for a body the handlers parse as such ("" for none or a multipart one,
    whose files their readers check): JSON when declared so or when no type is declared, as
    FastAPI reads it."""
    if scope["method"] in ("GET", "HEAD", "OPTIONS"):
        return ""
    declared = next((v for k, v in scope["headers"] if k == b"content-type"), None)
    if declared is None:
        return "json"
    kind = declared.split(b";")[0].strip().lower()
    if kind == b"application/json" or (
        kind.startswith(b"application/") and kind.endswith(b"+json")
    ):
        return "json"
    return "form" if kind == b"application/x-www-form-urlencoded" else ""


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a receive that hands it over again to the handler."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


def _body_problems(kind: str, body: bytes) -> list[Problem]:
    if kind == "form":
        return _pairs_problems("form", _pairs(body.decode("latin-1")))
    if not body.strip():
        return []
    try:
        parse_json(body, "request body", where="body")
    except NotJson:
        return []  # the handler answers what is wrong with it
    except ValidationFailed as refused:
        return list(refused.problems)
    return []


async def _refuse_fields(scope: Scope, send: Send, problems: list[Problem]) -> None:
    language = refusal_language(scope)
    listed = "; ".join(problem_shown(p, language) for p in problems)
    await refuse(
        scope,
        send,
        422,
        Text("Not accepted: %(problems)s.", problems=listed),
        problems=problems,
    )


CSP = (
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; style-src 'self'"
)
# The interactive API documentation is the one page with scripts (Swagger UI, served locally).
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """The same protective headers on every response: a Content Security Policy without scripts,
    no framing, no content sniffing, no referrer to other sites; HSTS when served over HTTPS."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"].startswith("/api/docs")
        extra = [
            (b"content-security-policy", (DOCS_CSP if docs else CSP).encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if self.hsts:
            extra.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((k, v) for k, v in extra if k not in present),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)
