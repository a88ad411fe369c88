"""The anonymous readers' cache: shared by the public only, for a few seconds, one rendering per
crowd; nothing of a signed-in user's is ever kept or served from it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session
from starlette.types import Message, Receive, Scope, Send

from stocktake.app import SESSION_COOKIE, create_app
from stocktake.config import Settings
from stocktake.consultation.services import publish_input
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.web.middleware import PublicCache
from tests.conftest import _session, sign_in
from tests.factories.consultation import submitted

KEPT_SECONDS = 0.5


@pytest.fixture
def cached_client(
    request: pytest.FixtureRequest, settings: Settings, engine: Engine, connection: Connection
) -> Iterator[TestClient]:
    """A client of an app whose cache keeps answers KEPT_SECONDS (or the test's `kept` mark)."""
    mark = request.node.get_closest_marker("kept")
    seconds = mark.args[0] if mark else KEPT_SECONDS
    app = create_app(settings.model_copy(update={"public_cache_seconds": seconds}), engine)
    app.state.sessions = lambda: _session(connection)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def _publish(session: Session, text: str) -> None:
    record = submitted(session, get_process(session), text, submitter="MEX")
    publish_input(session, record, by=Principal.system())
    session.commit()


def test_a_page_without_a_form_starts_no_session(cached_client: TestClient) -> None:
    for path in ("/", "/inputs", "/actors", "/meetings/puerto-vallarta-2017"):
        response = cached_client.get(path)
        assert response.status_code == 200
        assert "set-cookie" not in response.headers, path
    assert SESSION_COOKIE in cached_client.get("/login").headers["set-cookie"]  # it has a form


@pytest.mark.kept(3)
def test_the_public_sees_a_change_after_the_kept_seconds_the_signed_in_at_once(
    cached_client: TestClient, session: Session
) -> None:
    """On a machine too busy to publish and ask again within the kept seconds, the kept answer
    has rightly expired: the scenario is tried again with another text, at most three times."""
    for attempt in range(3):
        text = f"Portable pensions for seasonal workers, kept in shared fund number {attempt}."
        started = time.monotonic()
        assert text not in cached_client.get("/inputs?q=seasonal+workers").text
        _publish(session, text)
        again = cached_client.get("/inputs?q=seasonal+workers").text
        if time.monotonic() - started < 3:
            break
    assert text not in again  # the kept answer
    api = cached_client.get("/api/v1/inputs", params={"q": "seasonal workers"})
    assert text in api.text  # another address was not kept

    time.sleep(3.1)
    assert text in cached_client.get("/inputs?q=seasonal+workers").text


@pytest.mark.kept(60)  # signing in takes a while; the public's answer must outlive it
def test_a_signed_in_reader_never_gets_nor_leaves_a_kept_answer(
    cached_client: TestClient, session: Session
) -> None:
    text = "A helpline for migrants in transit, run with the consulates."
    cached_client.get("/inputs?q=helpline")  # kept for the public
    _publish(session, text)
    sign_in(cached_client, "secretariat@gcm.example")
    signed_in_page = cached_client.get("/inputs?q=helpline")
    assert text in signed_in_page.text
    assert "Sign out" in signed_in_page.text

    cached_client.cookies.clear()
    public_page = cached_client.get("/inputs?q=helpline")
    assert "Sign out" not in public_page.text  # the signed-in page was not kept
    assert "secretariat@gcm.example" not in public_page.text
    assert text not in public_page.text  # still the public's kept answer


@pytest.mark.kept(60)
@pytest.mark.parametrize("spacing", [" ", "\t", "  "])
def test_a_session_cookie_written_loosely_is_still_a_session(
    cached_client: TestClient, spacing: str
) -> None:
    """The app's cookie parser accepts spaces before the "="; the cache must see a session too."""
    sign_in(cached_client, "secretariat@gcm.example")
    cached_client.get("/")  # the session a browser then holds
    value = cached_client.cookies.get(SESSION_COOKIE)
    cached_client.cookies.clear()
    loose = {"Cookie": f"{SESSION_COOKIE}{spacing}= {value}"}
    assert "Sign out" in cached_client.get("/audit", headers=loose).text  # signed in, loosely

    public = cached_client.get("/audit", follow_redirects=False)
    assert public.status_code == 303  # to the sign-in page, not the secretariat's kept page


def test_a_token_holder_reads_past_the_cache(cached_client: TestClient, session: Session) -> None:
    token = cached_client.post(
        "/api/v1/tokens", json={"email": "mexico@gcm.example", "password": "stocktake-demo"}
    ).json()["token"]
    cached_client.get("/api/v1/inputs", params={"q": "remittance corridors"})
    text = "Cheaper remittance corridors through postal networks."
    _publish(session, text)
    fresh = cached_client.get(
        "/api/v1/inputs",
        params={"q": "remittance corridors"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert text in fresh.text


def test_answers_that_are_not_for_everyone_are_not_kept(cached_client: TestClient) -> None:
    first = cached_client.get("/login")
    cached_client.cookies.clear()
    second = cached_client.get("/login")
    assert first.headers["set-cookie"] != second.headers["set-cookie"]  # a session each
    assert cached_client.get("/inputs/999999999").status_code == 404


class _Counting:
    """An app that takes a while to answer and counts its callers."""

    def __init__(
        self,
        status: int = 200,
        headers: list[tuple[bytes, bytes]] | None = None,
        *,
        seconds: float = 0.05,
        session: dict[str, object] | None = None,
    ):
        self.calls, self.status, self.headers = 0, status, headers or []
        self.seconds, self.session = seconds, session

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        if self.session is not None:
            scope["session"] = self.session  # as the session middleware does
        await asyncio.sleep(self.seconds)
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": f"answer {self.calls}".encode()})


async def _get(
    cache: PublicCache, headers: list[tuple[bytes, bytes]] | None = None, path: str = "/inputs"
) -> bytes:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "query_string": b"",
        "headers": headers or [(b"host", b"example.org")],
    }
    await cache(scope, receive, send)
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_crowd_on_one_address_costs_one_rendering() -> None:
    app = _Counting()
    cache = PublicCache(app, seconds=5, session_cookie=SESSION_COOKIE)

    async def crowd() -> list[bytes]:
        return list(await asyncio.gather(*(_get(cache) for _ in range(50))))

    bodies = asyncio.run(crowd())
    assert app.calls == 1
    assert set(bodies) == {b"answer 1"}


def test_an_expired_answer_is_served_while_one_request_fetches_the_new_one() -> None:
    app = _Counting()
    cache = PublicCache(app, seconds=0.1, session_cookie=SESSION_COOKIE)

    async def scenario() -> list[bytes]:
        await _get(cache)
        await asyncio.sleep(0.12)  # expired, still within the grace of another 0.1 s
        return list(await asyncio.gather(*(_get(cache) for _ in range(10))))

    bodies = asyncio.run(scenario())
    assert app.calls == 2
    assert bodies.count(b"answer 2") == 1  # the one that fetched it
    assert bodies.count(b"answer 1") == 9  # the rest had the kept answer meanwhile


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (404, []),
        (200, [(b"set-cookie", b"stocktake_session=x")]),
        (200, [(b"cache-control", b"no-store")]),
        (200, [(b"cache-control", b"private, max-age=60")]),
    ],
)
def test_answers_not_to_share_go_to_the_app_every_time(
    status: int, headers: list[tuple[bytes, bytes]]
) -> None:
    app = _Counting(status, headers)
    cache = PublicCache(app, seconds=5, session_cookie=SESSION_COOKIE)

    async def twice() -> None:
        await _get(cache)
        await _get(cache)

    asyncio.run(twice())
    assert app.calls == 2


def test_a_request_with_a_session_or_a_token_is_never_served_from_the_cache() -> None:
    app = _Counting()
    cache = PublicCache(app, seconds=5, session_cookie=SESSION_COOKIE)
    host = (b"host", b"example.org")

    async def visits() -> None:
        await _get(cache)  # kept
        await _get(cache, [host, (b"cookie", f"{SESSION_COOKIE}=abc".encode())])
        await _get(cache, [host, (b"authorization", b"Bearer abc")])
        await _get(cache, [host, (b"cookie", b"theme=dark")])  # not a session: the kept one

    asyncio.run(visits())
    assert app.calls == 3


def test_an_answer_that_turned_out_signed_in_is_not_kept() -> None:
    app = _Counting(session={"user_id": 1, "generation": 0})
    cache = PublicCache(app, seconds=5, session_cookie=SESSION_COOKIE)

    async def twice() -> None:
        await _get(cache)
        await _get(cache)

    asyncio.run(twice())
    assert app.calls == 2


def test_an_answer_is_as_old_as_the_moment_it_was_asked_for() -> None:
    """A slow answer read its data when it was asked for; it expires counting from then."""
    app = _Counting(seconds=0.15)
    cache = PublicCache(app, seconds=0.1, session_cookie=SESSION_COOKIE)

    async def twice() -> list[bytes]:
        return [await _get(cache), await _get(cache)]

    assert asyncio.run(twice()) == [b"answer 1", b"answer 2"]


def test_many_addresses_cannot_fill_the_memory() -> None:
    """Each answer is 8 bytes ("answer N"); room for two in all: a third address is not kept."""
    app = _Counting()
    cache = PublicCache(app, seconds=5, session_cookie=SESSION_COOKIE, max_total_bytes=16)

    async def visits() -> None:
        for path in ("/a", "/b", "/c", "/a", "/b", "/c"):
            await _get(cache, path=path)

    asyncio.run(visits())
    assert app.calls == 4  # /a, /b and /c fetched, /c again: the first two were kept


@pytest.mark.kept(60)
def test_each_language_is_kept_apart(cached_client: TestClient) -> None:
    """A reader whose browser asks for French, or who chose Russian, never gets the English page
    another reader left in the cache, nor the reverse."""
    assert '<html lang="en"' in cached_client.get("/").text
    assert '<html lang="fr"' in cached_client.get("/", headers={"Accept-Language": "fr-FR"}).text
    assert '<html lang="fr"' in cached_client.get("/", headers={"Accept-Language": "fr;q=0.9"}).text
    chosen = cached_client.get("/", headers={"Cookie": "stocktake_language=ru"})
    assert '<html lang="ru"' in chosen.text
    assert '<html lang="en"' in cached_client.get("/", headers={"Accept-Language": "de"}).text
