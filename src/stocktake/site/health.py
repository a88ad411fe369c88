"""Whether this server can do its work: the database answers, its schema is the one this version
expects, and what the long work waits on. `GET /health` reports it for load balancers and monitors."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from stocktake.core.jobs import queue_figures
from stocktake.core.migrate import alembic_config


@functools.cache
def expected_heads() -> tuple[str, ...]:
    """The schema revisions this version's migrations end at."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    return tuple(
        sorted(ScriptDirectory.from_config(alembic_config(create_engine("sqlite://"))).get_heads())
    )


@dataclass
class Health:
    ok: bool = True
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    def failed(self, name: str, **details: Any) -> None:
        self.ok = False
        self.checks[name] = {"ok": False, **details}

    def passed(self, name: str, **details: Any) -> None:
        self.checks[name] = {"ok": True, **details}

    def as_json(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "failing", **self.checks}


def check_health(engine: Engine, *, stalled_after: float = 60.0) -> Health:
    health = Health()
    heads = list(expected_heads())
    started = time.perf_counter()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            elapsed = round((time.perf_counter() - started) * 1000, 1)
            health.passed("database", backend=engine.url.get_backend_name(), milliseconds=elapsed)
            current = (
                connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            )
            if sorted(current) == heads:
                health.passed("migrations", current=sorted(current), expected=heads)
            else:
                health.failed(
                    "migrations",
                    current=sorted(current),
                    expected=heads,
                    reason="the database's schema is not the one this version expects: run `stocktake db upgrade`",
                )
            with Session(bind=connection) as session:
                figures = queue_figures(session, stalled_after=stalled_after)
            health.passed(
                "queue",
                kind="procrastinate" if engine.dialect.name == "postgresql" else "in-process",
                waiting=figures.waiting,
                running=figures.running,
                stalled=figures.stalled,
                failed=figures.failed,
                oldest_waiting_seconds=figures.oldest_waiting_seconds,
            )
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", None) or exc).splitlines() or [""])[0][:300]
        if "database" not in health.checks:
            health.failed("database", backend=engine.url.get_backend_name(), reason=reason)
        else:
            health.failed("migrations", expected=heads, reason=reason)
    return health
