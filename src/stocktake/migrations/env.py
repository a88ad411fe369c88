"""Alembic environment: the engine comes from stocktake (core/migrate.py), never from an ini file."""

from __future__ import annotations

from alembic import context

import stocktake.models  # noqa: F401  (registers every table)
from stocktake.core.db import Base

engine = context.config.attributes["engine"]

# Search structures created by raw SQL in the migrations (FTS5 tables, trigram index) and the job
# queue's procrastinate schema (PostgreSQL); the models do not describe them, so autogenerate and
# `alembic check` leave them alone.
UNMODELLED = ("input_fts", "ix_input_search", "ix_input_listed", "procrastinate_")


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (name or "").startswith(UNMODELLED)


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
