"""The client's address behind trusted proxies: X-Forwarded-For counts only from a trusted peer,
and the per-address sign-in limit is kept for the real client."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Connection, Engine, select
from starlette.types import Message, Receive, Scope, Send

from stocktake.accounts.models import SignInFailure
from stocktake.app import create_app
from stocktake.commands import server_options
from stocktake.config import Settings, get_settings, parse_networks
from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.web.proxies import TrustedProxies, client_of
from tests.conftest import _session
from tests.servers import free_port

PROXY = "10.1.2.3"


def _client(
    settings: Settings, engine: Engine, connection: Connection, peer: str, **overrides: object
) -> TestClient:
    changed = settings.model_copy(update={"sign_in_failures_per_address": 3, **overrides})
    app = create_app(changed, engine)
    app.state.sessions = lambda: _session(connection)
    return TestClient(app, base_url="http://testserver", client=(peer, 50000))


def _guess(client: TestClient, number: int, forwarded_for: str) -> int:
    return client.post(
        "/api/v1/tokens",
        json={"email": f"guess{number}@example.org", "password": "a wrong guess"},
        headers={"X-Forwarded-For": forwarded_for},
    ).status_code


def test_forwarded_for_from_an_untrusted_peer_is_ignored(
    bare_settings: Settings, bare_engine: Engine, bare_connection: Connection
) -> None:
    # no proxy trusted (the default), and a peer that is not the trusted one
    for trusted in ([], [PROXY]):
        peer = "192.0.2.50"
        with _client(
            bare_settings, bare_engine, bare_connection, peer, trusted_proxies=trusted
        ) as client:
            statuses = [_guess(client, i, f"198.51.100.{i}") for i in range(4)]
        assert statuses == [401, 401, 401, 429], trusted
        peer_failures = select(SignInFailure.address).where(SignInFailure.address == peer)
        assert len(list(_session(bare_connection).scalars(peer_failures))) == 3
        _session(bare_connection).execute(SignInFailure.__table__.delete())


def test_behind_a_trusted_proxy_each_client_is_limited_on_its_own(
    bare_settings: Settings, bare_engine: Engine, bare_connection: Connection
) -> None:
    with _client(
        bare_settings, bare_engine, bare_connection, PROXY, trusted_proxies=["10.0.0.0/8"]
    ) as client:
        # what the client claims left of the proxy's entry changes nothing
        first = [_guess(client, i, f"198.51.100.{i}, 203.0.113.7") for i in range(4)]
        # another client behind the same proxy, through a second trusted proxy
        second = [_guess(client, 10 + i, "203.0.113.8, 10.9.9.9") for i in range(3)]
        third = _guess(client, 20, "203.0.113.7")
    assert first == [401, 401, 401, 429]
    assert second == [401, 401, 401]  # not held up by the first client's failures
    assert third == 429
    addresses = list(_session(bare_connection).scalars(select(SignInFailure.address)))
    assert sorted(addresses) == ["203.0.113.7"] * 3 + ["203.0.113.8"] * 3


def test_the_client_is_the_right_most_address_that_is_not_a_trusted_proxy() -> None:
    trusted = parse_networks(["10.0.0.0/8", "fd00::/8", "127.0.0.1"])
    assert client_of("192.0.2.1", ["203.0.113.7"], trusted) == "192.0.2.1"
    assert client_of("10.0.0.1", ["203.0.113.7"], trusted) == "203.0.113.7"
    assert client_of("10.0.0.1", ["1.1.1.1, 203.0.113.7, 10.0.0.2"], trusted) == "203.0.113.7"
    assert client_of("10.0.0.1", ["1.1.1.1", "203.0.113.7,10.0.0.2"], trusted) == "203.0.113.7"
    assert client_of("fd00::1", ["2001:db8::5"], trusted) == "2001:db8::5"
    assert client_of("fd00::1", ["[2001:db8::5]:443"], trusted) == "2001:db8::5"
    assert client_of("10.0.0.1", ["203.0.113.7:5000"], trusted) == "203.0.113.7"
    assert client_of("10.0.0.1", [], trusted) == "10.0.0.1"
    assert client_of("10.0.0.1", ["10.0.0.3, 10.0.0.2"], trusted) == "10.0.0.3"
    assert client_of("testclient", ["203.0.113.7"], trusted) == "testclient"


def test_trusted_proxies_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_settings().trusted_proxies == []
    monkeypatch.setenv("STOCKTAKE_TRUSTED_PROXIES", "10.0.0.5, 192.168.0.0/16,fd00::/8")
    networks = get_settings().trusted_networks
    assert networks == (
        ipaddress.ip_network("10.0.0.5"),
        ipaddress.ip_network("192.168.0.0/16"),
        ipaddress.ip_network("fd00::/8"),
    )
    monkeypatch.setenv("STOCKTAKE_TRUSTED_PROXIES", "10.0.0.5, proxy.example.org")
    with pytest.raises(ValidationError, match=r"proxy\.example\.org"):
        get_settings()


def test_a_trusted_proxy_names_the_client_and_the_scheme_to_the_app() -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, _receive: Receive, _send: Send) -> None:
        seen.append(scope)

    async def nothing() -> Message:
        return {"type": "http.request"}

    async def ignore(_message: Message) -> None:
        return None

    middleware = TrustedProxies(app, trusted=parse_networks([PROXY]))
    forwarded = [(b"x-forwarded-for", b"203.0.113.7"), (b"x-forwarded-proto", b"https")]
    for peer in (PROXY, "192.0.2.1"):
        scope = {"type": "http", "client": (peer, 4000), "scheme": "http", "headers": forwarded}
        asyncio.run(middleware(scope, nothing, ignore))
    assert (seen[0]["client"], seen[0]["scheme"]) == (("203.0.113.7", 0), "https")
    assert (seen[1]["client"], seen[1]["scheme"]) == (("192.0.2.1", 4000), "http")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on an empty database of its own, served by uvicorn as `stocktake serve` runs it,
    on 127.0.0.1, with no proxy trusted and a limit of 3 failed sign-ins per address."""
    url = f"sqlite:///{tmp_path_factory.mktemp('proxies') / 'proxies.sqlite3'}"
    engine = create_db_engine(url)
    upgrade(engine)
    settings = get_settings(
        environment="test", secret_key="proxies-secret", database_url=url,
        sign_in_failures_per_address=3,
    )  # fmt: skip
    port = free_port()
    options = {**server_options(), "log_level": "warning"}
    config = uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=port, **options)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    engine.dispose()


def test_the_server_does_not_take_a_local_peer_s_forwarded_for(served: str) -> None:
    """The server as `stocktake serve` runs it: a client on 127.0.0.1 that names another address
    each time is still one address, limited after 3 failures."""

    def guess(number: int) -> int:
        request = urllib.request.Request(  # noqa: S310  (a URL of the test server)
            f"{served}/api/v1/tokens",
            data=json.dumps({"email": f"g{number}@example.org", "password": "wrong"}).encode(),
            headers={"Content-Type": "application/json", "X-Forwarded-For": f"198.51.100.{number}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    assert [guess(i) for i in range(5)] == [401, 401, 401, 429, 429]
