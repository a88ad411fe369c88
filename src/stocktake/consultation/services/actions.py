"""Actions on one input: submit, update, retag, publish, withdraw; and who may see it.

Every action validates everything first and writes nothing when anything is wrong; the problems name
the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stocktake.accounts.models import User
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.language import UNKNOWN, detect_language
from stocktake.consultation.models import (
    Channel,
    FrameworkReference,
    Input,
    InputStatus,
    InputTag,
)
from stocktake.consultation.services.attachments import new_attachment
from stocktake.consultation.services.intake import (
    InputData,
    Resolved,
    Resolver,
    input_values,
    require_submit,
)
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import NotFound, PermissionDenied, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Counted, Text, translatable
from stocktake.notifications.kinds import Kind, Said
from stocktake.notifications.services import notify
from stocktake.process.models import Process
from stocktake.process.terms import TAG_VOCABULARIES, TagSource, TermReader


def submit_input(
    session: Session,
    process: Process,
    data: InputData,
    *,
    by: Principal,
    channel: Channel = Channel.WEB,
    max_chars: int = 50_000,
) -> Input:
    """Submit one input: a delegation or stakeholder only as its own actor, the secretariat for any."""
    require_submit(by)
    problems: list[Problem] = []
    resolver = Resolver(session, process, max_chars)
    item = resolver.resolve(data, "", by, problems, new=True)
    if item is None:
        raise ValidationFailed("input", problems)
    if not item.language:
        item.language = detect_language(f"{data.title}\n{item.text}")
    record = Input(**input_values(process, item, by, channel, utcnow()))
    record.tags = [
        InputTag(vocabulary=vocabulary, key=key, source=TagSource.SUBMITTER)
        for vocabulary, keys in item.tags.items()
        for key in keys
    ]
    record.references = [FrameworkReference(scheme=s, code=c) for s, c in item.references]
    with transaction(session):
        session.add(record)
        session.flush()
        if data.attachment_content:
            attachment = new_attachment(data.attachment_name, data.attachment_content)
            attachment.input_id = record.id
            session.add(attachment)
        record_event(
            session,
            by=by,
            action=AuditAction.INPUT_SUBMITTED,
            target_type="input",
            target_key=record.id,
            summary=f"{record.kind} from {item.actor.code}"
            + (f": {record.title}" if record.title else ""),
            changes={
                "status": record.status,
                "language": record.language,
                "channel": channel.value,
            },
        )
    return record


def get_input(session: Session, input_id: int, *, by: Principal) -> Input:
    """One input, if this principal may see it (published, its own, or any for the secretariat)."""
    record = session.scalar(
        select(Input)
        .where(Input.id == input_id)
        .options(
            selectinload(Input.tags),
            selectinload(Input.references),
            selectinload(Input.actor),
            selectinload(Input.on_behalf_of),
            selectinload(Input.meeting),
        )
    )
    if record is None or not can_see(by, record):
        raise NotFound(Text("input"), input_id)
    return record


def can_see(by: Principal, record: Input) -> bool:
    if by.can(Permission.INPUTS_READ_ANY):
        return True
    if record.status == InputStatus.PUBLISHED.value:
        return True
    return by.can(Permission.INPUTS_READ_OWN) and record.actor_id == by.actor_id


def _require_owner_or_secretariat(by: Principal, record: Input) -> None:
    if by.can(Permission.INPUTS_MODERATE):
        return
    if by.can(Permission.INPUTS_SUBMIT_OWN) and record.actor_id == by.actor_id:
        return
    raise PermissionDenied(
        Permission.INPUTS_SUBMIT_OWN, Text("only the submitter or the secretariat")
    )


# what an update reads and may change, read again inside its write
_EDITED = (
    "status",
    "title",
    "text",
    "kind",
    "meeting_id",
    "meeting",
    "language",
    "tags",
    "references",
)


CLOSED_TO_SUBMITTER = {
    InputStatus.PUBLISHED.value: translatable(
        "a published input can no longer be changed by its submitter"
    ),
    InputStatus.WITHDRAWN.value: translatable(
        "a withdrawn input can no longer be changed by its submitter"
    ),
}
"""What the submitter hears of an input it may no longer change, by the input's status."""


def _refuse_closed_to_submitter(by: Principal, record: Input) -> None:
    if not by.can(Permission.INPUTS_MODERATE) and record.status in (
        InputStatus.PUBLISHED.value,
        InputStatus.WITHDRAWN.value,
    ):
        raise ValidationFailed(
            "input",
            [
                Problem(
                    "status",
                    Text(
                        CLOSED_TO_SUBMITTER.get(
                            record.status,
                            "a %(status)s input can no longer be changed by its submitter",
                        ),
                        status=record.status,
                    ),
                )
            ],
        )


def _resolved(
    session: Session, record: Input, changes: dict[str, Any], by: Principal, max_chars: int
) -> tuple[InputData, Resolved]:
    """The input's fields after the changes, checked; every problem named."""
    data = InputData(
        text=changes.get("text", record.text),
        submitter=record.actor.code,
        title=changes.get("title", record.title),
        kind=changes.get("kind", record.kind),
        on_behalf_of=record.on_behalf_of.code if record.on_behalf_of else "",
        meeting=changes.get("meeting", record.meeting.slug if record.meeting else ""),
        dimensions=changes.get("dimensions", record.tag_keys("dimensions")),
        input_types=changes.get("input_types", record.tag_keys("input_types")),
        references=changes.get(
            "references",
            [f"{r.scheme}:{r.code}" if r.scheme == "hr" else r.code for r in record.references],
        ),
        language=changes.get("language", record.language if record.language != UNKNOWN else ""),
        status=record.status
        if record.status != InputStatus.WITHDRAWN.value
        else InputStatus.SUBMITTED.value,
    )
    problems: list[Problem] = []
    process = session.get(Process, record.process_id)
    assert process is not None
    item = Resolver(session, process, max_chars).resolve(data, "", by, problems)
    if item is None:
        raise ValidationFailed("input", problems)
    return data, item


def update_input(
    session: Session,
    record: Input,
    changes: dict[str, Any],
    *,
    by: Principal,
    max_chars: int = 50_000,
) -> Input:
    """Change the title, text, kind, meeting, tags or references of an input. The submitter may do so
    until the input is published or withdrawn; the secretariat at any time."""
    _require_owner_or_secretariat(by, record)
    _refuse_closed_to_submitter(by, record)
    with transaction(session):
        # the input as it is now, inside the write: a change made a moment ago by someone else is
        # kept where this one does not touch it, and one published a moment ago stays closed
        session.refresh(record, list(_EDITED), with_for_update=True)
        _refuse_closed_to_submitter(by, record)
        data, item = _resolved(session, record, changes, by, max_chars)
        before = _snapshot(record)
        record.title = data.title.strip()
        if item.text != record.text:
            record.text = item.text
            record.content_hash = item.content_hash
            if "language" not in changes:
                item.language = detect_language(f"{record.title}\n{item.text}")
        record.refresh_search_text()
        record.kind = data.kind
        record.meeting_id = item.meeting.id if item.meeting else None
        record.language = item.language or UNKNOWN
        _replace_tags(
            record,
            item.tags,
            TagSource.SECRETARIAT if by.can(Permission.INPUTS_MODERATE) else TagSource.SUBMITTER,
        )
        record.references = [
            ref for ref in record.references if (ref.scheme, ref.code) in item.references
        ] + [
            FrameworkReference(scheme=s, code=c)
            for s, c in item.references
            if (s, c) not in {(r.scheme, r.code) for r in record.references}
        ]
        session.flush()
        after = _snapshot(record)
        record_event(
            session,
            by=by,
            action=AuditAction.INPUT_UPDATED,
            target_type="input",
            target_key=record.id,
            summary="updated " + ", ".join(k for k in after if after[k] != before[k]),
            changes={k: [before[k], after[k]] for k in after if after[k] != before[k]},
        )
    return record


def _snapshot(record: Input) -> dict[str, Any]:
    return {
        "title": record.title,
        "text": record.text,
        "kind": record.kind,
        "meeting_id": record.meeting_id,
        "language": record.language,
        "dimensions": sorted(record.tag_keys("dimensions")),
        "input_types": sorted(record.tag_keys("input_types")),
        "references": sorted(f"{r.scheme}:{r.code}" for r in record.references),
    }


def _replace_tags(record: Input, tags: dict[str, list[str]], source: TagSource) -> None:
    keep = []
    for tag in record.tags:
        if tag.key in tags.get(tag.vocabulary, []):
            keep.append(tag)
    existing = {(t.vocabulary, t.key) for t in keep}
    for vocabulary, keys in tags.items():
        for key in keys:
            if (vocabulary, key) not in existing:
                keep.append(InputTag(vocabulary=vocabulary, key=key, source=source))
    record.tags = keep


def retag_input(
    session: Session,
    record: Input,
    *,
    dimensions: Sequence[str],
    input_types: Sequence[str],
    by: Principal,
) -> Input:
    """The secretariat confirms or corrects an input's dimensions and input types."""
    require(by, Permission.INPUTS_MODERATE)
    problems: list[Problem] = []
    process = session.get(Process, record.process_id)
    assert process is not None
    terms = TermReader(process.read_definition())

    def bad(where: str, message: str) -> None:
        problems.append(Problem(where, message))

    tags = {
        vocabulary: terms.keys(vocabulary, values, bad)
        for vocabulary, values in (("dimensions", dimensions), ("input_types", input_types))
    }
    if problems:
        raise ValidationFailed("tags", problems)
    with transaction(session):
        # the tags as they are now, inside the write: two officers retagging at once each replace
        # what the other stored, and the audit says what each replaced
        session.refresh(record, ["tags"], with_for_update=True)
        before = {v: sorted(record.tag_keys(v)) for v in TAG_VOCABULARIES}
        _replace_tags(record, tags, TagSource.SECRETARIAT)
        for tag in record.tags:
            tag.source, tag.confidence = TagSource.SECRETARIAT, 1.0
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.INPUT_RETAGGED,
            target_type="input",
            target_key=record.id,
            summary="tags confirmed by the secretariat",
            changes={v: [before[v], sorted(tags[v])] for v in TAG_VOCABULARIES},
        )
    return record


def publish_input(session: Session, record: Input, *, by: Principal) -> Input:
    require(by, Permission.INPUTS_MODERATE)
    if record.status == InputStatus.PUBLISHED.value:
        return record
    with transaction(session):
        # as it is now, inside the write: of two moderators at once, the second finds it published
        session.refresh(record, with_for_update=True)
        if record.status == InputStatus.PUBLISHED.value:
            return record
        previous = record.status
        record.status = InputStatus.PUBLISHED.value
        record.withdrawn_reason = ""
        record.submitted_at = record.submitted_at or utcnow()
        record_event(
            session,
            by=by,
            action=AuditAction.INPUT_PUBLISHED,
            target_type="input",
            target_key=record.id,
            summary="published",
            changes={"status": [previous, record.status]},
        )
        tell_submitter(session, record, by=by)
    return record


def tell_submitter(session: Session, record: Input, *, by: Principal) -> None:
    """Tell the user who submitted an input that the secretariat published or withdrew it."""
    if record.submitted_by_id is None or not by.can(Permission.INPUTS_MODERATE):
        return
    user = session.get(User, record.submitted_by_id)
    published = record.status == InputStatus.PUBLISHED.value
    notify(
        session,
        Kind.INPUT,
        [user] if user is not None else [],
        message=Said.INPUT_PUBLISHED if published else Said.INPUT_WITHDRAWN,
        values={"title": record.title or f"#{record.id}", "reason": record.withdrawn_reason[:300]},
        link=f"/inputs/{record.id}",
        by=by,
    )


MAX_REASON = 2000
"""The longest reason for withdrawing an input: a longer one is refused, never cut."""


def too_long_reason() -> Text:
    return Text("is longer than %(limit)s characters", limit=Counted(MAX_REASON))


def withdraw_input(session: Session, record: Input, *, reason: str, by: Principal) -> Input:
    """Withdraw an input with a reason: its submitter or the secretariat. It stays on record."""
    _require_owner_or_secretariat(by, record)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            "withdrawal", [Problem("reason", Text("a withdrawal needs a reason"))]
        )
    if len(reason) > MAX_REASON:
        raise ValidationFailed("withdrawal", [Problem("reason", too_long_reason())])
    with transaction(session):
        # the status as it is now, inside the write: what a moderator published a moment ago
        session.refresh(record, ["status"], with_for_update=True)
        previous = record.status
        record.status = InputStatus.WITHDRAWN.value
        record.withdrawn_reason = reason
        record_event(
            session,
            by=by,
            action=AuditAction.INPUT_WITHDRAWN,
            target_type="input",
            target_key=record.id,
            summary=f"withdrawn: {reason[:200]}",
            changes={"status": [previous, record.status], "reason": reason},
        )
        tell_submitter(session, record, by=by)
    return record
