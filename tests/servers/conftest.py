"""Several app processes on one PostgreSQL database, started once per test module.

A module gets `fleet`: two `stocktake serve` processes on free ports against its own copy of the
demo database, and `fleet_engine`, an engine of its own on that database. A module changes the
servers' settings by defining a `fleet_settings` fixture; workers are started by the tests that
need them with `fleet.start_worker(["worker"], ready=…)`. SQLite is one file on one machine:
these tests run only when the suite has a PostgreSQL database (STOCKTAKE_TEST_DATABASE_URL)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest
from sqlalchemy import Engine

from stocktake.core.db import create_db_engine
from tests.databases import PG_URL, copy_of
from tests.servers import Fleet, fleet

NO_POSTGRESQL = (
    "several servers share one database on PostgreSQL only: set STOCKTAKE_TEST_DATABASE_URL "
    "to run them"
)


@pytest.fixture(scope="module")
def fleet_settings() -> Mapping[str, str]:
    """The servers' own settings (STOCKTAKE_<NAME>: value); a module overrides it."""
    return {}


@pytest.fixture(scope="module")
def fleet_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if not PG_URL:
        pytest.skip(NO_POSTGRESQL)
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    return copy_of("demo", "postgresql", f"fleet_{name}", tmp_path_factory.mktemp(name))


@pytest.fixture(scope="module")
def fleet_of_two(
    fleet_database: str, fleet_settings: Mapping[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fleet]:
    """Two app processes on the module's copy of the demo, stopped after its last test."""
    with fleet(
        fleet_database, tmp_path_factory.mktemp("fleet"), servers=2, settings=fleet_settings
    ) as started:
        yield started


@pytest.fixture(scope="module")
def fleet_engine(fleet_database: str) -> Iterator[Engine]:
    engine = create_db_engine(fleet_database, pool_size=2)
    yield engine
    engine.dispose()
