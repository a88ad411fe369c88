"""Moderation at scale: the queue of submitted inputs, what waits, and bulk actions on a selection
(publish, withdraw, retag) in one transaction with one audit event per input."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.models import Input, InputStatus, InputTag
from stocktake.consultation.services.actions import MAX_REASON, tell_submitter, too_long_reason
from stocktake.consultation.services.queries import InputFilter, filtered
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.pages import ResultPage
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.process.models import Process
from stocktake.process.terms import unknown_term

MAX_SELECTION = 500
"""The most inputs one bulk action takes: a page of the queue is at most this long."""


class BulkAction(enum.StrEnum):
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    TAG = "tag"  # add the tags given, keep the others
    RETAG = "retag"  # the tags of each vocabulary given become these


@dataclass
class BulkReport:
    action: BulkAction
    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Waiting:
    """What waits for the secretariat: inputs submitted but not yet published, drafts not yet
    submitted by their authors (counted only), and the submitted inputs with no confirmed tag."""

    submitted: int
    drafts: int
    untagged: int


def waiting(session: Session, process: Process, *, by: Principal) -> Waiting:
    require(by, Permission.INPUTS_MODERATE)
    counts = dict(
        session.execute(
            select(Input.status, func.count(Input.id))
            .where(Input.process_id == process.id)
            .group_by(Input.status)
        ).all()
    )
    confirmed = select(InputTag.input_id).where(InputTag.source == "secretariat").scalar_subquery()
    untagged = session.scalar(
        select(func.count(Input.id)).where(
            Input.process_id == process.id,
            Input.status == InputStatus.SUBMITTED,
            Input.id.not_in(confirmed),
        )
    )
    return Waiting(
        submitted=counts.get(InputStatus.SUBMITTED.value, 0),
        drafts=counts.get(InputStatus.DRAFT.value, 0),
        untagged=untagged or 0,
    )


class QueueOrder(enum.StrEnum):
    """The queue's order: newest first, so that today's submissions are on the first page."""

    NEWEST = "newest"
    OLDEST = "oldest"

    @property
    def label(self) -> str:
        return "Newest first" if self is QueueOrder.NEWEST else "Oldest first"


def queue_page(
    session: Session,
    process: Process,
    filters: InputFilter,
    *,
    by: Principal,
    page: int = 1,
    page_size: int = 50,
    order: QueueOrder = QueueOrder.NEWEST,
) -> ResultPage[Input]:
    """The inputs waiting (submitted, unless the filter asks for another status), newest first
    by their submission time unless `order` says oldest first."""
    require(by, Permission.INPUTS_MODERATE)
    if not filters.status:
        filters = replace(filters, status=InputStatus.SUBMITTED.value)
    query = filtered(session, process, filters, by)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    ordering = (
        (Input.submitted_at.desc().nulls_last(), Input.id.desc())
        if order is QueueOrder.NEWEST
        else (Input.submitted_at.asc().nulls_last(), Input.id.asc())
    )
    rows = session.scalars(
        query.options(selectinload(Input.tags), selectinload(Input.actor))
        .order_by(*ordering)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return ResultPage(items=rows, total=total, page=page, page_size=page_size)


def next_in_queue(session: Session, process: Process, after: int, *, by: Principal) -> int | None:
    """The submitted input that comes after this one in the queue (oldest first), or the first."""
    require(by, Permission.INPUTS_MODERATE)
    queue = select(Input.id).where(
        Input.process_id == process.id, Input.status == InputStatus.SUBMITTED
    )
    return session.scalar(
        queue.where(Input.id > after).order_by(Input.id).limit(1)
    ) or session.scalar(queue.where(Input.id != after).order_by(Input.id).limit(1))


def _tags(
    process: Process, vocabulary: str, values: Sequence[str], problems: list[Problem]
) -> list[str]:
    known = {t.key for t in process.vocabulary(vocabulary)}
    for value in values:
        if value not in known:
            problems.append(Problem(vocabulary, unknown_term(vocabulary, value)))
    return sorted(set(values) & known)


def _add(record: Input, vocabulary: str, keys: list[str]) -> None:
    """These keys join the input's tags of one vocabulary, confirmed by the secretariat; its other
    tags stay as they are."""
    have = {t.key: t for t in record.tags if t.vocabulary == vocabulary}
    for key in keys:
        tag = have.get(key)
        if tag is None:
            record.tags.append(InputTag(vocabulary=vocabulary, key=key))
            tag = record.tags[-1]
        tag.source, tag.confidence = "secretariat", 1.0


def _replace(record: Input, vocabulary: str, keys: list[str]) -> None:
    """The input's tags of one vocabulary become these keys, confirmed by the secretariat (a tag
    already there is kept as the same row)."""
    kept = [t for t in record.tags if t.vocabulary != vocabulary or t.key in keys]
    have = {t.key for t in kept if t.vocabulary == vocabulary}
    kept += [InputTag(vocabulary=vocabulary, key=key) for key in keys if key not in have]
    for tag in kept:
        if tag.vocabulary == vocabulary:
            tag.source, tag.confidence = "secretariat", 1.0
    record.tags = kept


def moderate_inputs(
    session: Session,
    process: Process,
    input_ids: Sequence[int],
    action: BulkAction | str,
    *,
    by: Principal,
    reason: str = "",
    dimensions: Sequence[str] = (),
    input_types: Sequence[str] = (),
) -> BulkReport:
    """Publish, withdraw (with a reason) or retag the chosen inputs: all of them or none, one audit
    event per input that changed. Tagging adds the tags given to each input's own; retagging sets
    the vocabularies given and leaves the others."""
    require(by, Permission.INPUTS_MODERATE)
    problems: list[Problem] = []
    try:
        action = BulkAction(action)
    except ValueError:
        allowed = ", ".join(a.value for a in BulkAction)
        raise ValidationFailed(
            "moderation",
            [
                Problem(
                    "action",
                    Text(
                        "unknown action %(action)r: one of %(allowed)s",
                        action=action,
                        allowed=allowed,
                    ),
                )
            ],
        ) from None
    ids = sorted(set(input_ids))
    if not ids:
        problems.append(Problem("inputs", Text("choose at least one input")))
    if len(ids) > MAX_SELECTION:
        problems.append(
            Problem("inputs", Text("at most %(limit)s inputs at once", limit=MAX_SELECTION))
        )
    reason = reason.strip()
    if action is BulkAction.WITHDRAW and not reason:
        problems.append(Problem("reason", Text("a withdrawal needs a reason")))
    if len(reason) > MAX_REASON:
        problems.append(Problem("reason", too_long_reason()))
    tags = {
        "dimensions": _tags(process, "dimensions", dimensions, problems),
        "input_types": _tags(process, "input_types", input_types, problems),
    }
    if action in (BulkAction.TAG, BulkAction.RETAG) and not (dimensions or input_types):
        problems.append(Problem("tags", Text("choose at least one dimension or input type")))
    found = session.scalars(
        select(Input.id).where(Input.id.in_(ids[:MAX_SELECTION]), Input.process_id == process.id)
    )
    if missing := set(ids[:MAX_SELECTION]) - set(found):
        listed = ", ".join(map(str, sorted(missing)))
        problems.append(Problem("inputs", Text("no such input: %(inputs)s", inputs=listed)))
    if problems:
        raise ValidationFailed("moderation", problems)
    report = BulkReport(action)
    given = {v: keys for v, keys in tags.items() if (dimensions, input_types)[v == "input_types"]}
    with transaction(session):
        # read inside the write, rows locked (SQLite's write lock is the whole database), so that
        # of two moderators acting at once the second sees what the first did
        records = list(
            session.scalars(
                select(Input)
                .where(Input.id.in_(ids), Input.process_id == process.id)
                .options(selectinload(Input.tags))
                .order_by(Input.id)
                .with_for_update(of=Input)
                .execution_options(populate_existing=True)
            )
        )
        for record in records:
            changes = _apply(record, action, reason, given)
            if not changes:
                report.unchanged.append(record.id)
                continue
            report.changed.append(record.id)
            session.flush()
            record_event(
                session,
                by=by,
                action=EVENTS[action],
                target_type="input",
                target_key=record.id,
                summary=SUMMARIES[action](reason) + " (bulk)",
                changes=changes,
            )
            if action in (BulkAction.PUBLISH, BulkAction.WITHDRAW):
                tell_submitter(session, record, by=by)
    return report


EVENTS = {
    BulkAction.PUBLISH: AuditAction.INPUT_PUBLISHED,
    BulkAction.WITHDRAW: AuditAction.INPUT_WITHDRAWN,
    BulkAction.TAG: AuditAction.INPUT_RETAGGED,
    BulkAction.RETAG: AuditAction.INPUT_RETAGGED,
}
SUMMARIES: dict[BulkAction, Callable[[str], str]] = {
    BulkAction.PUBLISH: lambda _r: "published",
    BulkAction.WITHDRAW: lambda r: f"withdrawn: {r[:200]}",
    BulkAction.TAG: lambda _r: "tags added by the secretariat",
    BulkAction.RETAG: lambda _r: "tags confirmed by the secretariat",
}


def _apply(
    record: Input, action: BulkAction, reason: str, tags: dict[str, list[str]]
) -> dict[str, object]:
    """Change one input; the changes for its audit event, empty when nothing changed."""
    previous = record.status
    if action is BulkAction.PUBLISH:
        if previous == InputStatus.PUBLISHED:
            return {}
        record.status, record.withdrawn_reason = InputStatus.PUBLISHED.value, ""
        record.submitted_at = record.submitted_at or utcnow()
        return {"status": [previous, record.status]}
    if action is BulkAction.WITHDRAW:
        if previous == InputStatus.WITHDRAWN:
            return {}
        record.status, record.withdrawn_reason = InputStatus.WITHDRAWN.value, reason
        return {"status": [previous, record.status], "reason": reason}
    changes: dict[str, object] = {}
    for vocabulary, keys in tags.items():
        before = sorted(record.tag_keys(vocabulary))
        (_add if action is BulkAction.TAG else _replace)(record, vocabulary, keys)
        after = sorted(record.tag_keys(vocabulary))
        if after != before or action is BulkAction.RETAG:
            changes[vocabulary] = [before, after]
    return changes
