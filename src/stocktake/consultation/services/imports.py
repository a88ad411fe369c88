"""Import many inputs at once: all of them or none, with every bad row and field named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.language import detect_languages
from stocktake.consultation.models import (
    Channel,
    FrameworkReference,
    Input,
    InputTag,
)
from stocktake.consultation.services.intake import InputData, Resolved, Resolver, input_values
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.process.models import Process
from stocktake.process.terms import TagSource


@dataclass
class ImportReport:
    source: str
    created: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)


def import_inputs(
    session: Session,
    process: Process,
    rows: Sequence[tuple[str, InputData]],
    *,
    by: Principal,
    source: str,
    max_chars: int = 50_000,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 5000,
) -> ImportReport:
    """Import parsed rows: all of them or none, with every bad row and field named. A row whose
    external id (or, without one, whose submitter and text) is already stored is left as it is,
    so importing the same file twice changes nothing."""
    require(by, Permission.INPUTS_IMPORT)
    if not rows:
        raise ValidationFailed(source, [Problem("", Text("the file has no rows"))])
    tick = progress or (lambda _n: None)
    resolver = Resolver(session, process, max_chars)
    known_ids = set(
        session.scalars(
            select(Input.external_id).where(
                Input.process_id == process.id, Input.external_id.is_not(None)
            )
        )
    )
    known_hashes = set(
        session.scalars(
            select(Input.content_hash).where(
                Input.process_id == process.id, Input.external_id.is_(None)
            )
        )
    )
    problems: list[Problem] = []
    fresh: list[Resolved] = []
    seen_ids: dict[str, str] = {}
    report = ImportReport(source=source)
    for where, data in rows:
        item = resolver.resolve(data, f"{where}, ", by, problems, new=True)
        external_id = data.external_id.strip()
        if external_id:
            if external_id in seen_ids:
                problems.append(
                    Problem(
                        f"{where}, field external_id",
                        Text(
                            "duplicate external id %(external_id)r (also %(where)s)",
                            external_id=external_id,
                            where=seen_ids[external_id],
                        ),
                    )
                )
            seen_ids.setdefault(external_id, where)
        if item is not None:
            if (external_id and external_id in known_ids) or (
                not external_id and item.content_hash in known_hashes
            ):
                report.unchanged += 1
            else:
                if not external_id:
                    known_hashes.add(item.content_hash)
                fresh.append(item)
        tick(1)
    if problems:
        raise ValidationFailed(source, problems)
    undetected = [i for i, item in enumerate(fresh) if not item.language]
    for index, language in zip(
        undetected,
        detect_languages([f"{fresh[i].data.title}\n{fresh[i].text}" for i in undetected]),
        strict=True,
    ):
        fresh[index].language = language
    if not fresh:
        return report
    report.created = len(fresh)
    with transaction(session):
        # The audit event goes first: on SQLite its write takes the database's write lock, so the
        # ids reserved next cannot be taken by another writer before this transaction ends.
        record_event(
            session,
            by=by,
            action=AuditAction.INPUTS_IMPORTED,
            target_type="process",
            target_key=process.slug,
            summary=f"{report.created} inputs imported from {source} ({report.unchanged} already there)",
            changes={"created": report.created, "unchanged": report.unchanged, "source": source},
        )
        session.flush()
        ids = _reserve_ids(session, len(fresh))
        now = utcnow()
        for start in range(0, len(fresh), batch_size):
            batch = list(
                zip(ids[start : start + batch_size], fresh[start : start + batch_size], strict=True)
            )
            _insert_batch(session, process, batch, by, now)
        report.ids = ids
    return report


def _reserve_ids(session: Session, count: int) -> list[int]:
    """Ids for `count` new inputs, so that a bulk insert needs no RETURNING (which SQLite would
    answer one row at a time)."""
    if session.get_bind().dialect.name == "postgresql":
        return list(
            session.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence('input', 'id')) FROM generate_series(1, :n)"
                ),
                {"n": count},
            )
        )
    first = (session.scalar(select(func.max(Input.id))) or 0) + 1
    return list(range(first, first + count))


def _insert_batch(
    session: Session,
    process: Process,
    batch: list[tuple[int, Resolved]],
    by: Principal,
    now: dt.datetime,
) -> None:
    rows = [
        {"id": input_id, **input_values(process, item, by, Channel.IMPORT, now)}
        for input_id, item in batch
    ]
    session.execute(insert(Input), rows)
    tags = [
        {
            "input_id": input_id,
            "vocabulary": vocabulary,
            "key": key,
            "source": TagSource.SUBMITTER.value,
            "confidence": 1.0,
        }
        for input_id, item in batch
        for vocabulary, keys in item.tags.items()
        for key in keys
    ]
    references = [
        {"input_id": input_id, "scheme": scheme, "code": code}
        for input_id, item in batch
        for scheme, code in item.references
    ]
    if tags:
        session.execute(insert(InputTag), tags)
    if references:
        session.execute(insert(FrameworkReference), references)
