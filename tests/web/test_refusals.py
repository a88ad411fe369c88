"""What the middlewares refuse before the app runs (a body too large, a Content-Length that is no
number, a NUL or a lone surrogate, a server too busy) is said in the reader's language, read from
the raw headers: the language cookie, else Accept-Language, else English. JSON under /api, a small
page for a browser, plain text for other clients; the status codes stay what they were."""

from __future__ import annotations

import asyncio

from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from stocktake.config import Settings
from stocktake.core.translation import format_number
from stocktake.web.admission import Admission
from stocktake.web.middleware import BodyLimit
from stocktake.web.refusals import refusal_language

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_the_language_of_a_refusal_comes_from_the_raw_headers() -> None:
    def language(*headers: tuple[bytes, bytes]) -> str:
        return refusal_language({"type": "http", "headers": list(headers)})

    assert language() == "en"
    assert language((b"accept-language", b"de-DE, fr;q=0.8, en;q=0.5")) == "fr"
    assert language((b"cookie", b"a=b; stocktake_language=ar"), (b"accept-language", b"fr")) == "ar"
    # a chosen code that is not one of the six: English, as the pages' default before the app
    assert language((b"cookie", b"stocktake_language=de"), (b"accept-language", b"ru")) == "en"


def test_a_body_too_large_is_refused_in_the_language_asked(
    bare_client: TestClient, bare_settings: Settings
) -> None:
    limit = bare_settings.max_body_bytes
    too_big = b"x" * (limit + 1)
    answer = bare_client.post(
        "/api/v1/inputs",
        content=too_big,
        headers={"Content-Type": "application/json", "Accept-Language": "fr"},
    )
    assert answer.status_code == 413
    assert answer.json() == {
        "detail": f"Le corps de la requête dépasse la limite de {format_number(limit, 'fr')} octets."
    }
    assert answer.headers["content-language"] == "fr"
    english = bare_client.post(
        "/api/v1/inputs", content=too_big, headers={"Content-Type": "application/json"}
    )
    assert english.json()["detail"] == (
        f"The request body is larger than the limit of {limit:,} bytes."
    )

    # a body sent in chunks is counted as it comes, and refused in the same words
    def chunks() -> object:
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536

    chunked = bare_client.post(
        "/api/v1/inputs",
        content=chunks(),
        headers={"Content-Type": "application/json", "Accept-Language": "es"},
    )
    assert chunked.status_code == 413
    assert chunked.json()["detail"].startswith("El cuerpo de la solicitud supera el límite")


def test_a_browser_gets_a_small_page_in_its_language(
    bare_client: TestClient, bare_settings: Settings
) -> None:
    bare_client.cookies.set("stocktake_language", "ar")
    page = bare_client.post(
        "/login",
        content=b"email=" + b"x" * bare_settings.max_body_bytes,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": HTML},
    )
    assert page.status_code == 413
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "<h1>كبير جدًا</h1>" in page.text
    assert "يتجاوز متن الطلب الحد البالغ" in page.text
    assert '<a href="/">' in page.text
    # a program that does not ask for HTML reads one line of plain text
    bare_client.cookies.delete("stocktake_language")
    plain = bare_client.post(
        "/login",
        content=b"email=" + b"x" * bare_settings.max_body_bytes,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept-Language": "ru",
        },
    )
    assert plain.status_code == 413
    assert plain.headers["content-type"] == "text/plain; charset=utf-8"
    assert plain.text.startswith("Тело запроса превышает предел в ")


def test_a_nul_is_refused_naming_its_field_in_the_language_asked(
    bare_client: TestClient,
) -> None:
    plain = bare_client.post(
        "/login", data={"email": "a\x00b", "password": "x"}, headers={"Accept-Language": "es"}
    )
    assert plain.status_code == 422
    assert plain.text == (
        "No aceptado: form.email: contiene un carácter NUL (U+0000), que no se acepta.\n"
    )
    page = bare_client.post(
        "/login",
        data={"email": "a\x00b", "password": "x"},
        headers={"Accept": HTML, "Accept-Language": "fr"},
    )
    assert page.status_code == 422
    assert '<html lang="fr" dir="ltr">' in page.text
    assert "<h1>Non accepté</h1>" in page.text
    assert (
        "form.email : contient un caractère NUL (U+0000), qui n&#x27;est pas accepté" in page.text
    )
    api = bare_client.get("/api/v1/actors?q=a%00b", headers={"Accept-Language": "zh"})
    assert api.status_code == 422
    assert api.json() == {
        "detail": "malformed request",
        "problems": [{"where": "query.q", "message": "包含 NUL 字符（U+0000），该字符不被接受"}],
    }


async def _answer(
    app: object, scope_headers: list[tuple[bytes, bytes]], path: str = "/inputs"
) -> tuple[int, dict[str, str], bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "path": path, "method": "POST", "headers": scope_headers}
    await app(scope, receive, send)  # type: ignore[operator]
    headers = {k.decode(): v.decode() for k, v in sent[0].get("headers", [])}
    return int(sent[0]["status"]), headers, b"".join(m.get("body", b"") for m in sent[1:])


async def _never(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError("a refused request reaches no handler")


def test_a_length_that_is_no_number_is_refused_with_400_in_russian() -> None:
    guarded = BodyLimit(_never, upload_bytes=1000, body_bytes=1000)
    status, headers, body = asyncio.run(
        _answer(
            guarded,
            [(b"content-length", b"many"), (b"cookie", b"stocktake_language=ru")],
        )
    )
    assert status == 400
    assert headers["content-language"] == "ru"
    assert body.decode() == "Content-Length — не число.\n"


def test_a_busy_server_says_so_in_french() -> None:
    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        await asyncio.sleep(0.3)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def crowd() -> list[tuple[int, dict[str, str], bytes]]:
        admission = Admission(slow, limit=1, queue=0, wait=5)
        french = [(b"accept-language", b"fr-FR,fr;q=0.9"), (b"accept", HTML.encode())]
        return list(await asyncio.gather(*(_answer(admission, french) for _ in range(3))))

    refused = [answer for answer in asyncio.run(crowd()) if answer[0] == 503]
    assert refused
    for _status, headers, body in refused:
        assert headers["retry-after"]
        assert "connection" not in headers  # the client comes back on the same connection
        assert "<h1>Serveur occupé</h1>" in body.decode()
        assert "Le serveur est occupé ; réessayez dans quelques secondes." in body.decode()
