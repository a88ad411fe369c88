"""Test fixtures: a real database per backend, each test inside a rolled-back transaction.

SQLite always; PostgreSQL too when STOCKTAKE_TEST_DATABASE_URL is set. The whole suite runs once
per backend (session-scoped parametrised fixture), so every test id ends in [sqlite] or
[postgresql]. The databases are copies of templates built once per run (tests/databases.py); the
app is built once per database and serves every test, each through its own connection.
"""

from __future__ import annotations

import copy
import gc
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from stocktake.app import SESSION_COOKIE, create_app
from stocktake.config import Settings, get_settings
from stocktake.core.db import create_db_engine
from stocktake.demo.generator import DEMO_LOGINS, DEMO_PASSWORD
from stocktake.frameworks.services import REFERENCE_SDG
from tests.databases import (
    BACKENDS,
    PG_URL,
    SHARED,
    TEMPLATES_ENV,
    build_all_templates,
    copy_of,
    scratch_url,
)

# Speed is measured in bench/, never in tests: no per-example deadline, which a busy machine would trip.
hypothesis_settings.register_profile("stocktake", deadline=None)
hypothesis_settings.load_profile("stocktake")

__all__ = ["BACKENDS", "PG_URL", "SHARED"]
SDG_FRAMEWORK = REFERENCE_SDG

# The commands speak the language the environment names (STOCKTAKE_LANGUAGE, else LC_ALL, LC_MESSAGES,
# LANG): every test, and every process a test starts, sees English whatever the developer's own
# locale; tests/test_cli_languages.py sets the language of the commands it runs itself.
os.environ["STOCKTAKE_LANGUAGE"] = "en"


@pytest.hookimpl(trylast=True)  # after pytest's own, which makes the temporary folders
def pytest_configure(config: pytest.Config) -> None:
    """The first pytest process of a run chooses where the run's templates live and tells its
    workers."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        os.environ[TEMPLATES_ENV] = workerinput[TEMPLATES_ENV]
    else:
        folder = config._tmp_path_factory.mktemp("templates", numbered=True)  # type: ignore[attr-defined]
        os.environ[TEMPLATES_ENV] = str(folder)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:  # pytest-xdist's hook, as each worker starts
    node.workerinput[TEMPLATES_ENV] = os.environ[TEMPLATES_ENV]


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Spread over workers, the controller builds every template before the workers start, the two
    demos side by side; a single process builds each when a test first needs it."""
    config = session.config
    workers = getattr(config.option, "numprocesses", None)
    if not hasattr(config, "workerinput") and workers and not config.option.collectonly:
        build_all_templates()


def scratch_postgresql_url(name: str) -> str:
    """An empty PostgreSQL database of this worker's, for commands and servers that commit."""
    return scratch_url(name, Path(), "postgresql")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """This worker's copy of the demo database."""
    return copy_of("demo", backend, "demo", tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The migrated database with the GCM process, the registry and the demo data (with its first
    analysis, draft summary and the UK's Open SDG indicators), committed."""
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def bare_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated database with only the GCM process and the reference registry (states, groups, UN
    entities, IGOs): no demo meetings, users or inputs. Tests add what they need with
    tests/factories."""
    engine = create_db_engine(copy_of("bare", backend, "bare", tmp_path_factory.mktemp("bare")))
    yield engine
    engine.dispose()


def app_settings(engine: Engine) -> Settings:
    # the anonymous readers' cache is off: tests read what they just wrote, as the public too;
    # tests/web/test_public_cache.py turns it on
    return get_settings(
        environment="test",
        secret_key="test-secret-key",
        database_url=engine.url.render_as_string(hide_password=False),
        public_cache_seconds=0,
        # the tests run the queued jobs themselves (stocktake.core.jobs.run_pending)
        jobs_in_app=False,
        # the jobs' files (uploads waiting for their import, documents made) out of the checkout
        jobs_dir=Path(tempfile.mkdtemp(prefix="stocktake-jobs-")),
    )


def _session(connection: Connection) -> Session:
    return Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@contextmanager
def rolled_back(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that is rolled back afterwards, whatever the test committed."""
    connection = engine.connect()
    transaction = connection.begin()
    try:
        yield connection
    finally:
        transaction.rollback()
        connection.close()


@contextmanager
def serving(app: FastAPI, connection: Connection) -> Iterator[TestClient]:
    """A client of the shared `app` whose every request works in `connection`'s transaction."""
    app.state.sessions = lambda: _session(connection)
    try:
        with TestClient(app, base_url="http://testserver") as client:
            yield client
    finally:
        app.state.sessions = None


@pytest.fixture(scope="session")
def bare_app(bare_engine: Engine) -> FastAPI:
    """The app on the bare database, built once: its first request costs most of a second."""
    return create_app(app_settings(bare_engine), bare_engine)


@pytest.fixture
def bare_connection(bare_engine: Engine) -> Iterator[Connection]:
    with rolled_back(bare_engine) as connection:
        yield connection


@pytest.fixture
def bare_session(bare_connection: Connection) -> Iterator[Session]:
    """A session on the bare database (process and registry only), rolled back after the test."""
    session = _session(bare_connection)
    yield session
    session.close()


@pytest.fixture
def bare_settings(bare_app: FastAPI) -> Settings:
    """Settings of the app on the bare database; the anonymous readers' cache is off, as in
    `settings`."""
    settings: Settings = bare_app.state.settings
    return settings


@pytest.fixture
def bare_client(bare_app: FastAPI, bare_connection: Connection) -> Iterator[TestClient]:
    """The app on the bare database, in the same rolled-back transaction as `bare_session`: what a
    test makes with the factories, the app sees."""
    with serving(bare_app, bare_connection) as client:
        yield client


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with rolled_back(engine) as connection:
        yield connection


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session whose commits are savepoints inside the test's transaction, rolled back after."""
    session = _session(connection)
    yield session
    session.close()


@pytest.fixture(scope="session")
def demo_app(engine: Engine) -> FastAPI:
    """The app on the demo database, built once."""
    return create_app(app_settings(engine), engine)


@pytest.fixture
def settings(demo_app: FastAPI) -> Settings:
    settings: Settings = demo_app.state.settings
    return settings


@pytest.fixture
def client(demo_app: FastAPI, connection: Connection) -> Iterator[TestClient]:
    with serving(demo_app, connection) as client:
        yield client


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(client: TestClient, path: str = "/login") -> str:
    response = client.get(path)
    match = CSRF.search(response.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


# The session cookie of each demo login, per app: a sign-in costs a quarter of a second of password
# hashing, and the cookie holds only the user's id and session generation, which the demo's
# template fixes. The sign-in itself is tested in tests/accounts.
_DEMO_LOGINS = {login.email for login in DEMO_LOGINS}
_SIGNED_IN: dict[tuple[int, str], Cookie] = {}


def sign_in(client: TestClient, email: str, password: str = DEMO_PASSWORD) -> None:
    key = (id(client.app), email)
    if email in _DEMO_LOGINS and password == DEMO_PASSWORD and key in _SIGNED_IN:
        # the cookie as the server set it (domain, path), so that its next answer replaces it
        client.cookies.jar.set_cookie(copy.copy(_SIGNED_IN[key]))
        return
    response = client.post(
        "/login",
        data={"csrf": csrf_of(client), "email": email, "password": password, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    if email in _DEMO_LOGINS and password == DEMO_PASSWORD:
        _SIGNED_IN[key] = next(c for c in client.cookies.jar if c.name == SESSION_COOKIE)


@pytest.fixture
def signed_in(client: TestClient) -> Callable[[str], TestClient]:
    def _sign_in(email: str) -> TestClient:
        sign_in(client, email)
        return client

    return _sign_in


@pytest.fixture(scope="session")
def cli_db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of its own for commands, which commit: a copy of what `stocktake demo` loaded."""
    return copy_of("demo", backend, "cli", tmp_path_factory.mktemp("cli"))


def pytest_unconfigure(config: pytest.Config) -> None:
    """The suite leaves a large heap (both backends' demo data, the sentence model); the
    interpreter's last full garbage collection over it at exit took minutes, after every test had
    passed. The operating system frees the memory anyway, so that collection is skipped."""
    gc.freeze()
