"""One declarative base, shared column types, engine and session factories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    any_,
    bindparam,
    create_engine,
    event,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


LIKE_ESCAPE = "\\"


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere: its own `\\`, `%` and `_` match themselves
    (with `ESCAPE '\\'`), so a search for "%" finds a percent sign, not everything."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column: Any, text: str, *, any_case: bool = True) -> ColumnElement[bool]:
    """The one substring search of every list: `column` holds `text` literally, in any case
    unless told otherwise (the text is folded by Python, the column by the database)."""
    if any_case:
        return func.lower(column).like(like_pattern(text.lower()), escape=LIKE_ESCAPE)
    return column.like(like_pattern(text), escape=LIKE_ESCAPE)  # type: ignore[no-any-return]


def among(session: Session, column: Any, ids: Collection[int]) -> ColumnElement[bool]:
    """`column IN ids`, as each backend reads it best. On PostgreSQL one array parameter
    (`= ANY(...)`): a statement with a list of 50 parameters or more is parsed again by the driver
    on every use (about 1.5 ms for a page's 100 ids), never prepared, and differs with the number
    of ids; the array keeps it one statement. On SQLite an IN list."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))  # type: ignore[no-any-return]
    return column.in_(ids)  # type: ignore[no-any-return]


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime, stored as UTC on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "naive datetime given; stocktake stores timezone-aware datetimes only"
            raise ValueError(msg)
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    """created_at and updated_at, set by the database's clock on insert and by the ORM on update."""

    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default=func.current_timestamp()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, server_default=func.current_timestamp()
    )


WRITE = "stocktake_write"
"""Execution option of a connection whose transaction will write: on SQLite it begins IMMEDIATE."""
BUSY_TIMEOUT_SECONDS = 30


def create_db_engine(url: str, *, pool_size: int = 10, pool_timeout: float = 10) -> Engine:
    """An engine for SQLite (WAL, foreign keys, real savepoints, writers that wait their turn) or
    PostgreSQL (psycopg 3). The pool holds `pool_size` connections and two more for background
    work (an analysis run); a request that finds none free waits at most `pool_timeout` seconds."""
    parsed = make_url(url)
    pool: dict[str, Any] = {"pool_size": pool_size, "max_overflow": 2, "pool_timeout": pool_timeout}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        else:
            pool = {}  # an in-memory database lives in one connection per thread
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS},
            **pool,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defeats SAVEPOINT; SQLAlchemy's documented recipe
    # turns it off and emits BEGIN itself.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # A transaction that will write begins as a write (BEGIN IMMEDIATE): it takes the write lock
    # at once, waiting up to the busy timeout for it, instead of reading first and failing with
    # "database is locked" when it later tries to upgrade its read snapshot to a write.
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def _begin_write(session: Session) -> None:
    """Make the session's transaction a write transaction from its first statement.

    On SQLite a read transaction that has already begun is ended first (nothing is lost: objects
    loaded stay loaded, and nothing has been written), so that the new one begins IMMEDIATE and
    waits for the write lock instead of failing on it. PostgreSQL needs nothing; nor does a session
    joined to a transaction that its caller owns (the tests' savepoints)."""
    if isinstance(session.bind, Connection) or session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.in_nested_transaction() or session.connection().get_execution_options().get(
            WRITE, False
        ):
            return
        session.commit()
    session.connection(execution_options={WRITE: True})


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """The unit of work of one named action: commit on success, roll back on any error.
    It begins as a write transaction (on SQLite: BEGIN IMMEDIATE, waiting for the lock)."""
    try:
        _begin_write(session)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
