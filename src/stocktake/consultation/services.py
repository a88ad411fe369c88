"""Consultation actions: submit, update, publish, withdraw and retag inputs; import many at once.

Every action validates everything first and writes nothing when anything is wrong; the problems name
the row (for imports) and the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, selectinload

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.attachments import new_attachment
from stocktake.consultation.language import KNOWN, UNKNOWN, detect_language, detect_languages
from stocktake.consultation.models import (
    Channel,
    FrameworkReference,
    Input,
    InputKind,
    InputStatus,
    InputTag,
    search_text,
)
from stocktake.consultation.references import parse_reference
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import NotFound, PermissionDenied, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.meetings.models import Meeting
from stocktake.process.definition import ProcessDefinition
from stocktake.process.models import Process
from stocktake.registry.models import Actor, GroupMembership

TAG_VOCABULARIES = ("dimensions", "input_types")


@dataclass
class InputData:
    """An input as a submitter gives it: from a form, an API body or one row of a file."""

    text: str
    submitter: str = ""  # actor code or name; empty means the submitting user's own actor
    title: str = ""
    kind: str = InputKind.CARD.value
    on_behalf_of: str = ""
    meeting: str = ""
    dimensions: list[str] = field(default_factory=list)
    input_types: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    language: str = ""
    external_id: str = ""
    attachment_name: str = ""
    attachment_text: str = ""
    attachment_content: bytes = b""  # the file as sent, kept for download
    status: str = InputStatus.SUBMITTED.value
    submitted_at: str = (
        ""  # ISO 8601 date or date-time, for inputs received before they are entered
    )


def content_hash(actor_code: str, text: str) -> str:
    """Same submitter and same words (ignoring case and spacing) give the same hash."""
    normalised = " ".join(text.split()).casefold()
    return hashlib.sha256(f"{actor_code}\x1f{normalised}".encode()).hexdigest()


@dataclass
class _Resolved:
    data: InputData
    actor: Actor
    on_behalf_of: Actor | None
    meeting: Meeting | None
    tags: dict[str, list[str]]
    references: list[tuple[str, str]]
    text: str
    language: str
    content_hash: str
    submitted_at: dt.datetime | None = None


class _Resolver:
    """Validates inputs against the registry and the process, with lookups loaded once."""

    def __init__(self, session: Session, process: Process, max_chars: int) -> None:
        self.session = session
        self.process = process
        self.max_chars = max_chars
        self._actors: dict[str, Actor] | None = None
        self._members: dict[int, set[int]] | None = None
        self.meetings = {
            m.slug: m
            for m in session.scalars(select(Meeting).where(Meeting.process_id == process.id))
        }
        self.vocab: dict[str, dict[str, str]] = {}
        for vocabulary in TAG_VOCABULARIES:
            lookup: dict[str, str] = {}
            for term in process.vocabulary(vocabulary):
                lookup[term.key.casefold()] = term.key
                for name in term.names.values():
                    lookup[name.casefold()] = term.key
            self.vocab[vocabulary] = lookup
        self.definition = ProcessDefinition.model_validate(process.definition)

    def _check_open(
        self, submitted_at: dt.datetime | None, bad: Callable[[str, str], None]
    ) -> None:
        closed = self.definition.closed_for_inputs((submitted_at or utcnow()).date())
        if closed:
            bad("submitted_at" if submitted_at else "date", closed)

    @property
    def actors(self) -> dict[str, Actor]:
        if self._actors is None:
            self._actors = {}
            for actor in self.session.scalars(select(Actor)):
                self._actors.setdefault(actor.name.casefold(), actor)
                self._actors[actor.code.casefold()] = actor
        return self._actors

    def members_of(self, group: Actor) -> set[int]:
        if self._members is None:
            self._members = {}
            for group_id, member_id in self.session.execute(
                select(GroupMembership.group_id, GroupMembership.member_id)
            ):
                self._members.setdefault(group_id, set()).add(member_id)
        return self._members.get(group.id, set())

    def resolve(
        self,
        data: InputData,
        where: str,
        by: Principal,
        problems: list[Problem],
        *,
        new: bool = False,
    ) -> _Resolved | None:
        """The input checked against the registry and the process; a new one must also be dated
        in a phase open for inputs."""
        before = len(problems)

        def bad(field_name: str, message: str) -> None:
            problems.append(Problem(f"{where}field {field_name}" if where else field_name, message))

        text = self._text(data, by, bad)
        actor = self._submitter(data, by, bad)
        on_behalf_of = self._group(data, actor, bad)
        meeting = None
        if data.meeting.strip():
            meeting = self.meetings.get(data.meeting.strip())
            if meeting is None:
                bad("meeting", f"unknown meeting {data.meeting.strip()!r}")
        tags = {
            vocabulary: self._tags(vocabulary, getattr(data, vocabulary), bad)
            for vocabulary in TAG_VOCABULARIES
        }
        references = self._references(data.references, bad)
        language = data.language.strip().lower()
        if language and language not in KNOWN:
            bad("language", f"unknown language code {language!r}")
        if len(data.external_id) > 120:
            bad("external_id", "is longer than 120 characters")
        submitted_at = _moment(data.submitted_at, bad)
        if new:
            self._check_open(submitted_at, bad)
        if len(problems) > before or actor is None:
            return None
        return _Resolved(
            data=data,
            actor=actor,
            on_behalf_of=on_behalf_of,
            meeting=meeting,
            tags=tags,
            references=references,
            text=text,
            language=language,
            content_hash=content_hash(actor.code, text),
            submitted_at=submitted_at,
        )

    def _text(self, data: InputData, by: Principal, bad: Callable[[str, str], None]) -> str:
        text = data.text.strip()
        if "\x00" in text:
            bad("text", "contains a NUL character")
        if not text:
            bad("text", "is empty")
        elif len(text) > self.max_chars:
            bad("text", f"is {len(text):,} characters long; the limit is {self.max_chars:,}")
        if len(data.title) > 300:
            bad("title", "is longer than 300 characters")
        if data.kind not in {k.value for k in InputKind}:
            bad("kind", f"{data.kind!r} is not one of {', '.join(k.value for k in InputKind)}")
        allowed = (
            InputStatus.DRAFT.value,
            InputStatus.SUBMITTED.value,
            InputStatus.PUBLISHED.value,
        )
        if data.status not in allowed:
            bad("status", f"{data.status!r} is not one of {', '.join(allowed)}")
        elif data.status == InputStatus.PUBLISHED.value and not by.can(Permission.INPUTS_MODERATE):
            bad("status", "only the secretariat publishes inputs")
        return text

    def _group(
        self, data: InputData, actor: Actor | None, bad: Callable[[str, str], None]
    ) -> Actor | None:
        key = data.on_behalf_of.strip()
        if not key:
            return None
        group = self.actors.get(key.casefold())
        if group is None:
            bad("on_behalf_of", f"unknown actor {key!r}")
        elif group.kind != "group_of_states":
            bad("on_behalf_of", f"{group.code} is not a group of states")
        elif actor is not None and actor.id not in self.members_of(group):
            bad("on_behalf_of", f"{actor.code} is not a member of {group.code}")
        else:
            return group
        return None

    def _tags(
        self, vocabulary: str, values: Sequence[str], bad: Callable[[str, str], None]
    ) -> list[str]:
        keys: list[str] = []
        for value in values:
            if not value.strip():
                continue
            key = self.vocab[vocabulary].get(value.strip().casefold())
            if key is None:
                bad(vocabulary, f"unknown {vocabulary[:-1].replace('_', ' ')} {value.strip()!r}")
            elif key not in keys:
                keys.append(key)
        return keys

    @staticmethod
    def _references(
        values: Sequence[str], bad: Callable[[str, str], None]
    ) -> list[tuple[str, str]]:
        references: list[tuple[str, str]] = []
        for value in values:
            if not value.strip():
                continue
            parsed = parse_reference(value)
            if parsed is None:
                bad(
                    "references",
                    f"{value.strip()!r} is neither an SDG goal, target or indicator nor a known instrument",
                )
            elif parsed not in references:
                references.append(parsed)
        return references

    def _submitter(
        self, data: InputData, by: Principal, bad: Callable[[str, str], None]
    ) -> Actor | None:
        key = data.submitter.strip()
        if not key:
            if by.actor_id is None:
                bad("submitter", "is empty")
                return None
            actor = self.session.get(Actor, by.actor_id)
        else:
            actor = self.actors.get(key.casefold())
            if actor is None:
                bad("submitter", f"{key!r} is not in the registry")
                return None
        if (
            actor is not None
            and not by.can(Permission.INPUTS_SUBMIT_ANY)
            and actor.id != by.actor_id
        ):
            bad("submitter", f"you may submit only for your own actor, not for {actor.code}")
            return None
        return actor


def _moment(value: str, bad: Callable[[str, str], None]) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        bad("submitted_at", f"{value!r} is not an ISO 8601 date or date-time")
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def closed_for_inputs(process: Process) -> str | None:
    """Why the process takes no inputs today (its current phase is not open for inputs), or None."""
    definition = ProcessDefinition.model_validate(process.definition)
    return definition.closed_for_inputs(utcnow().date())


def input_meetings(session: Session, process: Process) -> list[Meeting]:
    """The meetings an input may name: those of the phases open for inputs, by date."""
    definition = ProcessDefinition.model_validate(process.definition)
    open_phases = {phase.key for phase in definition.phases_open_for_inputs()}
    return list(
        session.scalars(
            select(Meeting)
            .where(Meeting.process_id == process.id, Meeting.phase_key.in_(open_phases))
            .order_by(Meeting.start_date, Meeting.slug)
        )
    )


def require_submit(by: Principal) -> None:
    """A delegation or stakeholder submits for its own actor, the secretariat for any."""
    if not (by.can(Permission.INPUTS_SUBMIT_ANY) or by.can(Permission.INPUTS_SUBMIT_OWN)):
        raise PermissionDenied(Permission.INPUTS_SUBMIT_OWN, f"role {by.role.value}")


def _input_values(
    process: Process, item: _Resolved, by: Principal, channel: Channel, now: dt.datetime
) -> dict[str, Any]:
    """The column values of a new input (shared by single submissions and bulk imports)."""
    title = item.data.title.strip()
    return {
        "process_id": process.id,
        "kind": item.data.kind,
        "actor_id": item.actor.id,
        "on_behalf_of_id": item.on_behalf_of.id if item.on_behalf_of else None,
        "submitted_by_id": by.user_id,
        "meeting_id": item.meeting.id if item.meeting else None,
        "channel": channel.value,
        "title": title,
        "text": item.text,
        "language": item.language or UNKNOWN,
        "attachment_name": item.data.attachment_name,
        "attachment_text": item.data.attachment_text,
        "search_text": search_text(title, item.text, item.data.attachment_text),
        "status": item.data.status,
        "withdrawn_reason": "",
        "external_id": item.data.external_id.strip() or None,
        "content_hash": item.content_hash,
        "submitted_at": None
        if item.data.status == InputStatus.DRAFT.value
        else (item.submitted_at or now),
        "created_at": now,
        "updated_at": now,
    }


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
    resolver = _Resolver(session, process, max_chars)
    item = resolver.resolve(data, "", by, problems, new=True)
    if item is None:
        raise ValidationFailed("input", problems)
    if not item.language:
        item.language = detect_language(f"{data.title}\n{item.text}")
    record = Input(**_input_values(process, item, by, channel, utcnow()))
    record.tags = [
        InputTag(vocabulary=vocabulary, key=key, source="submitter")
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
        raise NotFound("input", input_id)
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
    raise PermissionDenied(Permission.INPUTS_SUBMIT_OWN, "only the submitter or the secretariat")


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
    if not by.can(Permission.INPUTS_MODERATE) and record.status in (
        InputStatus.PUBLISHED.value,
        InputStatus.WITHDRAWN.value,
    ):
        raise ValidationFailed(
            "input",
            [
                Problem(
                    "status", f"a {record.status} input can no longer be changed by its submitter"
                )
            ],
        )
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
    item = _Resolver(session, process, max_chars).resolve(data, "", by, problems)
    if item is None:
        raise ValidationFailed("input", problems)
    before = _snapshot(record)
    with transaction(session):
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
            record, item.tags, "secretariat" if by.can(Permission.INPUTS_MODERATE) else "submitter"
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


def _replace_tags(record: Input, tags: dict[str, list[str]], source: str) -> None:
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
    resolver = _Resolver(session, process, 10**9)
    tags: dict[str, list[str]] = {}
    for vocabulary, values in (("dimensions", dimensions), ("input_types", input_types)):
        tags[vocabulary] = []
        for value in values:
            key = resolver.vocab[vocabulary].get(value.strip().casefold())
            if key is None:
                problems.append(
                    Problem(vocabulary, f"unknown {vocabulary[:-1].replace('_', ' ')} {value!r}")
                )
            elif key not in tags[vocabulary]:
                tags[vocabulary].append(key)
    if problems:
        raise ValidationFailed("tags", problems)
    before = {v: sorted(record.tag_keys(v)) for v in TAG_VOCABULARIES}
    with transaction(session):
        _replace_tags(record, tags, "secretariat")
        for tag in record.tags:
            tag.source, tag.confidence = "secretariat", 1.0
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
    previous = record.status
    with transaction(session):
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
    return record


def withdraw_input(session: Session, record: Input, *, reason: str, by: Principal) -> Input:
    """Withdraw an input with a reason: its submitter or the secretariat. It stays on record."""
    _require_owner_or_secretariat(by, record)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("withdrawal", [Problem("reason", "a withdrawal needs a reason")])
    previous = record.status
    with transaction(session):
        record.status = InputStatus.WITHDRAWN.value
        record.withdrawn_reason = reason[:2000]
        record_event(
            session,
            by=by,
            action=AuditAction.INPUT_WITHDRAWN,
            target_type="input",
            target_key=record.id,
            summary=f"withdrawn: {reason[:200]}",
            changes={"status": [previous, record.status], "reason": reason[:2000]},
        )
    return record


# ---------------------------------------------------------------- bulk import


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
        raise ValidationFailed(source, [Problem("", "the file has no rows")])
    tick = progress or (lambda _n: None)
    resolver = _Resolver(session, process, max_chars)
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
    fresh: list[_Resolved] = []
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
                        f"duplicate external id {external_id!r} (also {seen_ids[external_id]})",
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
    batch: list[tuple[int, _Resolved]],
    by: Principal,
    now: dt.datetime,
) -> None:
    rows = [
        {"id": input_id, **_input_values(process, item, by, Channel.IMPORT, now)}
        for input_id, item in batch
    ]
    session.execute(insert(Input), rows)
    tags = [
        {
            "input_id": input_id,
            "vocabulary": vocabulary,
            "key": key,
            "source": "submitter",
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
