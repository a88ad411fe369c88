"""Admission under load, the body size limit and the security headers."""

from __future__ import annotations

import asyncio

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.types import Message, Receive, Scope, Send

from stocktake.app import create_app
from stocktake.config import Settings
from stocktake.web.admission import Admission


async def _slow(scope: Scope, receive: Receive, send: Send) -> None:
    await asyncio.sleep(0.3)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


_finished: list[str] = []
"""Requests in the order their answers ended: the third value `_call` returns is a place in it."""

SIGNED_IN = [(b"cookie", b"stocktake_session=abc")]
BEARER = [(b"authorization", b"Bearer stk_abc")]


async def _call(
    app: Admission,
    path: str = "/api/v1/inputs",
    method: str = "GET",
    headers: list[tuple[bytes, bytes]] | None = None,
) -> tuple[int, dict[str, str], int]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "path": path, "method": method, "headers": headers or []}
    await app(scope, receive, send)
    head = sent[0]
    headers = {k.decode(): v.decode() for k, v in head.get("headers", [])}
    _finished.append(path)
    return int(head["status"]), headers, len(_finished)


def test_overload_is_answered_at_once_with_503_and_retry_after() -> None:
    async def crowd() -> list[tuple[int, dict[str, str], int]]:
        admission = Admission(_slow, limit=2, queue=1, wait=5)
        return list(await asyncio.gather(*(_call(admission) for _ in range(5))))

    answers = asyncio.run(crowd())
    served = [a for a in answers if a[0] == 200]
    refused = [a for a in answers if a[0] == 503]
    assert len(served) == 3  # two at work, one waited its turn
    assert len(refused) == 2
    for _status, headers, _place in refused:
        assert headers["retry-after"] == "5"
    # refused at once, not after a pile-up: both refusals ended before any served request
    assert max(a[2] for a in refused) < min(a[2] for a in served)


def test_a_request_waiting_too_long_is_dropped() -> None:
    async def crowd() -> list[tuple[int, dict[str, str], int]]:
        admission = Admission(_slow, limit=1, queue=10, wait=0.1)
        return list(await asyncio.gather(*(_call(admission) for _ in range(3))))

    statuses = sorted(a[0] for a in asyncio.run(crowd()))
    assert statuses == [200, 503, 503]


def test_signed_in_writes_wait_their_turn_and_anonymous_readers_are_refused_first() -> None:
    """One place, a crowd of anonymous readers and signed-in writes: the readers who cannot be
    served within their two seconds are refused, and every write is served, however long the
    readers' queue was when it came."""

    async def crowd() -> tuple[list[int], list[int], list[int]]:
        admission = Admission(_slow, limit=1, queue=8, wait=0.5, write_wait=10)
        readers = [_call(admission, "/inputs") for _ in range(6)]
        writes = [
            _call(admission, method="POST", headers=SIGNED_IN if i % 2 else BEARER)
            for i in range(6)
        ]
        signed_in_reads = [_call(admission, "/inputs", headers=SIGNED_IN) for _ in range(2)]
        answers = await asyncio.gather(*readers, *writes, *signed_in_reads)
        statuses = [a[0] for a in answers]
        return statuses[:6], statuses[6:12], statuses[12:]

    readers, writes, _signed_in_reads = asyncio.run(crowd())
    assert writes == [200] * 6  # 1.8 s of work behind the first reader, each waited its turn
    assert readers[1:] == [503] * 5
    assert readers[0] == 200  # it was at work before the writes came


def test_a_write_is_refused_only_when_its_own_queue_is_full() -> None:
    async def crowd() -> list[int]:
        admission = Admission(_slow, limit=1, queue=2, wait=5, write_wait=10)
        writes = [_call(admission, method="DELETE", headers=BEARER) for _ in range(5)]
        return [a[0] for a in await asyncio.gather(*writes)]

    assert sorted(asyncio.run(crowd())) == [200, 200, 200, 503, 503]


def test_sign_ins_and_page_views_do_not_take_each_other_s_places() -> None:
    """Sign-ins have places of their own: a crowd signing in leaves the page views their places
    (none refused), and a crowd of page views leaves the sign-ins theirs."""

    async def crowd() -> tuple[list[int], list[int]]:
        admission = Admission(_slow, limit=2, queue=50, wait=1, write_wait=10, sign_ins=1)
        sign_ins = [_call(admission, "/login", method="POST") for _ in range(8)]
        tokens = [_call(admission, "/api/v1/tokens", method="POST") for _ in range(4)]
        pages = [_call(admission, "/inputs") for _ in range(6)]
        answers = await asyncio.gather(*sign_ins, *tokens, *pages)
        statuses = [a[0] for a in answers]
        return statuses[:12], statuses[12:]

    sign_ins, pages = asyncio.run(crowd())
    assert pages == [200] * 6  # 3 rounds of 0.3 s on their 2 places, within their 1 s
    assert sign_ins == [200] * 12  # 12 rounds of 0.3 s on their own place, within 10 s


def test_security_headers_on_every_response(bare_client: TestClient) -> None:
    for path in ("/", "/inputs", "/api/v1/process", "/no-such-page", "/static/style.css"):
        headers = bare_client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in headers


def test_hsts_when_cookies_are_https_only(bare_settings: Settings, bare_engine: Engine) -> None:
    secure = bare_settings.model_copy(update={"https_only_cookies": True})
    with TestClient(create_app(secure, bare_engine), base_url="https://testserver") as client:
        assert "max-age=" in client.get("/").headers["strict-transport-security"]


def test_bodies_over_the_limit_are_refused_before_they_are_read(bare_client: TestClient) -> None:
    too_big = b"x" * (2**20 + 1)
    response = bare_client.post(
        "/api/v1/inputs", content=too_big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]

    # an anonymous upload over the upload limit is refused before anyone is checked
    response = bare_client.post(
        "/api/v1/inputs/import",
        files={"file": ("big.csv", b"a" * (20 * 2**20 + 100 * 1024), "text/csv")},
    )
    assert response.status_code == 413

    # a body sent in chunks, without a declared length, is counted as it comes
    def chunks() -> object:
        for _ in range(20):
            yield b"x" * 65536

    response = bare_client.post(
        "/api/v1/inputs", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
