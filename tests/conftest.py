"""Test fixtures: a real database per backend, each test inside a rolled-back transaction.

SQLite always; PostgreSQL too when STOCKTAKE_TEST_DATABASE_URL is set. The whole suite runs once
per backend (session-scoped parametrised fixture), so every test id ends in [sqlite] or
[postgresql].
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.app import create_app
from stocktake.cli import app
from stocktake.config import Settings, get_settings
from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from stocktake.core.permissions import Principal
from stocktake.demo.generator import DEMO_PASSWORD, load_demo
from stocktake.frameworks.services import REFERENCE_SDG
from stocktake.process.definition import default_definition_path, load_definition_file
from stocktake.process.services import load_process
from stocktake.registry.services import load_reference_actors

# Speed is measured in bench/, never in tests: no per-example deadline, which a busy machine would trip.
hypothesis_settings.register_profile("stocktake", deadline=None)
hypothesis_settings.load_profile("stocktake")

PG_URL = os.environ.get("STOCKTAKE_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
SHARED = Path(__file__).resolve().parents[2] / "shared"
SDG_FRAMEWORK = REFERENCE_SDG


def reset_postgresql(url: str) -> None:
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def scratch_postgresql_url(name: str) -> str:
    """A second PostgreSQL database beside the test one, emptied, for commands that commit."""
    assert PG_URL
    admin = create_db_engine(PG_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    reset_postgresql(url)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'stocktake.sqlite3'}"
    assert PG_URL
    reset_postgresql(PG_URL)
    return PG_URL


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The migrated database with the GCM process, the registry and the demo data, committed."""
    engine = create_db_engine(database_url)
    upgrade(engine)
    with Session(engine) as session:
        load_demo(
            session,
            by=Principal.system(),
            analyse=True,
            opensdg=SHARED / "data" / "opensdg-uk",
        )
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def bare_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated database with only the GCM process and the reference registry (states, groups, UN
    entities, IGOs): no demo meetings, users or inputs. Tests add what they need with
    tests/factories."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('bare') / 'bare.sqlite3'}"
    else:
        assert PG_URL
        url = scratch_postgresql_url(f"{make_url(PG_URL).database}_bare")
    engine = create_db_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        load_bare(session)
    yield engine
    engine.dispose()


def load_bare(session: Session) -> None:
    """What the bare database holds: the GCM process and the reference registry."""
    system = Principal.system()
    load_process(
        session, load_definition_file(default_definition_path()), by=system, source="gcm.toml"
    )
    load_reference_actors(session, by=system)


@pytest.fixture
def bare_connection(bare_engine: Engine) -> Iterator[Connection]:
    connection = bare_engine.connect()
    transaction = connection.begin()
    yield connection
    transaction.rollback()
    connection.close()


@pytest.fixture
def bare_session(bare_connection: Connection) -> Iterator[Session]:
    """A session on the bare database (process and registry only), rolled back after the test."""
    session = _session(bare_connection)
    yield session
    session.close()


@pytest.fixture
def bare_settings(bare_engine: Engine) -> Settings:
    """Settings of the app on the bare database; the anonymous readers' cache is off, as in
    `settings`."""
    return get_settings(
        environment="test",
        secret_key="test-secret-key",
        database_url=bare_engine.url.render_as_string(hide_password=False),
        public_cache_seconds=0,
    )


@pytest.fixture
def bare_client(
    bare_settings: Settings, bare_engine: Engine, bare_connection: Connection
) -> Iterator[TestClient]:
    """The app on the bare database, in the same rolled-back transaction as `bare_session`: what a
    test makes with the factories, the app sees."""
    app = create_app(bare_settings, bare_engine)
    app.state.sessions = lambda: _session(bare_connection)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    connection = engine.connect()
    transaction = connection.begin()
    yield connection
    transaction.rollback()
    connection.close()


def _session(connection: Connection) -> Session:
    return Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session whose commits are savepoints inside the test's transaction, rolled back after."""
    session = _session(connection)
    yield session
    session.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    # the anonymous readers' cache is off: tests read what they just wrote, as the public too;
    # tests/web/test_public_cache.py turns it on
    return get_settings(
        environment="test",
        secret_key="test-secret-key",
        database_url=database_url,
        public_cache_seconds=0,
    )


@pytest.fixture
def client(settings: Settings, engine: Engine, connection: Connection) -> Iterator[TestClient]:
    app = create_app(settings, engine)
    app.state.sessions = lambda: _session(connection)
    with TestClient(app, base_url="http://testserver") as client:
        yield client


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(client: TestClient, path: str = "/login") -> str:
    response = client.get(path)
    match = CSRF.search(response.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = DEMO_PASSWORD) -> None:
    response = client.post(
        "/login",
        data={"csrf": csrf_of(client), "email": email, "password": password, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def signed_in(client: TestClient) -> Callable[[str], TestClient]:
    def _sign_in(email: str) -> TestClient:
        sign_in(client, email)
        return client

    return _sign_in


@pytest.fixture(scope="session")
def cli_db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of its own for commands, which commit: the demo loaded by `stocktake demo`."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.sqlite3'}"
    else:
        # named after the test database, so that runs against different databases never share it
        assert PG_URL
        url = scratch_postgresql_url(f"{make_url(PG_URL).database}_cli")
    result = CliRunner().invoke(app, ["demo"], env={"STOCKTAKE_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert "Demo data loaded" in result.output
    return url


def pytest_unconfigure(config: pytest.Config) -> None:
    """The suite leaves a large heap (both backends' demo data, the sentence model); the
    interpreter's last full garbage collection over it at exit took minutes, after every test had
    passed. The operating system frees the memory anyway, so that collection is skipped."""
    gc.freeze()
