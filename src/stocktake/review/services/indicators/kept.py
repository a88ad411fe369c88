"""Figures computed from the stored indicators and observations, kept in the process until the data
change.

Progress and coverage are the same for every reader (no principal enters them) and change only when
indicator data are imported: both importers (Open SDG and SDMX) and a country's own report
(`reporting`) write their observations and an `INDICATORS_IMPORTED` audit event in one transaction,
and nothing else writes indicators or observations. So a figure is kept under the data's version — the latest such event (its id and
time), the highest observation id, the number of indicators and the latest change of an indicator
or of a country's settings, asked of the database on every use (one query of indexes and small
tables) — and of the database it came from, and computed again as soon as the version moves, in this process or
any other on the same database. The version is read before the figure is computed: a figure
computed from newer data than its version is only ever computed again, never served stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.review.models import CountryIndicator, Indicator, Observation

T = TypeVar("T")
MAX_KEPT = 64
"""The most figures kept (one per method and choice of countries): the oldest used goes first."""

_kept: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
_lock = threading.Lock()


_VERSION = "stocktake.review.data_version"


def data_version(session: Session) -> Hashable:
    """What identifies the indicator data as stored now, in this database: asked once per
    transaction of the session (a report reads its observations and its progress, each kept),
    and again after the session has written anything (`_forget_version`)."""
    transaction = session.get_transaction()
    found: tuple[object, Hashable] | None = session.info.get(_VERSION)
    if found is not None and transaction is not None and found[0] is transaction:
        return found[1]
    version = _read_version(session)
    if transaction is not None:
        session.info[_VERSION] = (transaction, version)
    return version


@event.listens_for(Session, "after_flush")
def _forget_version(session: Session, _context: object) -> None:
    """A session that writes (an import of observations, say) asks for the version again."""
    session.info.pop(_VERSION, None)


def _read_version(session: Session) -> Hashable:
    imported = AuditEvent.action == AuditAction.INDICATORS_IMPORTED.value
    latest = select(func.max(AuditEvent.id)).where(imported).scalar_subquery()
    row = session.execute(
        select(
            latest,
            select(AuditEvent.created_at).where(AuditEvent.id == latest).scalar_subquery(),
            select(func.max(Observation.id)).scalar_subquery(),
            select(func.count(Indicator.id)).scalar_subquery(),
            select(func.max(Indicator.updated_at)).scalar_subquery(),
            select(func.max(CountryIndicator.updated_at)).scalar_subquery(),
        )
    ).one()
    database = session.get_bind().engine.url.render_as_string(hide_password=True)
    return (database, *row)


def kept(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """The figure `key` names, as `compute` gives it for the data as stored now. The figure is
    shared by every request: callers read it and never change it."""
    version = data_version(session)
    with _lock:
        found = _kept.get(key)
        if found is not None and found[0] == version:
            _kept.move_to_end(key)
            value: T = found[1]
            return value
    value = compute()
    with _lock:
        _kept[key] = (version, value)
        _kept.move_to_end(key)
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return value
