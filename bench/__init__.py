"""Benchmarks for stocktake; `make bench` runs them (python -m bench)."""

from __future__ import annotations

from sqlalchemy import Engine, make_url, text

from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade


def fresh_database(url: str) -> Engine:
    """The database at `url` emptied (PostgreSQL: its public schema dropped and made again; a
    SQLite file is expected new) and migrated to the latest schema."""
    if make_url(url).get_backend_name() == "postgresql":
        engine = create_db_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    engine = create_db_engine(url)
    upgrade(engine)
    return engine
