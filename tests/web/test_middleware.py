"""Admission under load, the body size limit and the security headers."""

from __future__ import annotations

import asyncio
import time

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.types import Message, Receive, Scope, Send

from stocktake.app import create_app
from stocktake.config import Settings
from stocktake.web.middleware import Admission


async def _slow(scope: Scope, receive: Receive, send: Send) -> None:
    await asyncio.sleep(0.3)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


async def _call(app: Admission, path: str = "/api/v1/inputs") -> tuple[int, dict[str, str], float]:
    sent: list[Message] = []
    start = time.perf_counter()

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "http", "path": path, "headers": []}, receive, send)
    head = sent[0]
    headers = {k.decode(): v.decode() for k, v in head.get("headers", [])}
    return int(head["status"]), headers, time.perf_counter() - start


def test_overload_is_answered_at_once_with_503_and_retry_after() -> None:
    async def crowd() -> list[tuple[int, dict[str, str], float]]:
        admission = Admission(_slow, limit=2, queue=1, wait=5)
        return list(await asyncio.gather(*(_call(admission) for _ in range(5))))

    answers = asyncio.run(crowd())
    served = [a for a in answers if a[0] == 200]
    refused = [a for a in answers if a[0] == 503]
    assert len(served) == 3  # two at work, one waited its turn
    assert len(refused) == 2
    for _status, headers, elapsed in refused:
        assert headers["retry-after"] == "5"
        assert elapsed < 0.1  # refused at once, not after a pile-up


def test_a_request_waiting_too_long_is_dropped() -> None:
    async def crowd() -> list[tuple[int, dict[str, str], float]]:
        admission = Admission(_slow, limit=1, queue=10, wait=0.1)
        return list(await asyncio.gather(*(_call(admission) for _ in range(3))))

    statuses = sorted(a[0] for a in asyncio.run(crowd()))
    assert statuses == [200, 503, 503]


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
