"""Alembic environment: the engine comes from stocktake (core/migrate.py), never from an ini file."""

from __future__ import annotations

from alembic import context

import stocktake.models  # noqa: F401  (registers every table)
from stocktake.core.db import Base

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
