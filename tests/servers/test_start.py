"""Servers started at once against a new database: each `stocktake serve` migrates it first, and
one does while the others wait (core/migrate.py), so that all of them come up on one schema."""

from __future__ import annotations

from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import text

from stocktake.core.db import create_db_engine
from stocktake.site.health import expected_heads
from tests.databases import PG_URL, scratch_url
from tests.servers import fleet
from tests.servers.conftest import NO_POSTGRESQL


def test_servers_started_at_once_on_an_empty_database_migrate_it_once(tmp_path: Path) -> None:
    if not PG_URL:
        pytest.skip(NO_POSTGRESQL)
    url = scratch_url("fleet_start", Path(), "postgresql")
    with fleet(url, tmp_path, servers=2) as started:
        servers = list(started.servers)
        for server in servers:
            health = httpx.get(f"{server.url}/health", timeout=60).json()
            assert health["migrations"]["current"] == list(expected_heads())
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert sorted(versions.scalars()) == list(expected_heads())
    finally:
        engine.dispose()
    for server in servers:
        assert "Traceback" not in server.output()
