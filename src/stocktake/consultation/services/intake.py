"""What a new or changed input must be: its data as a submitter gives it, checked against the registry
and the process (one reader for forms, the API and file rows), and when the process takes inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from stocktake.consultation.language import KNOWN, UNKNOWN
from stocktake.consultation.models import (
    Channel,
    InputKind,
    InputStatus,
    search_text,
)
from stocktake.consultation.references import parse_reference
from stocktake.core.db import utcnow
from stocktake.core.errors import PermissionDenied, Problem
from stocktake.core.permissions import Permission, Principal
from stocktake.core.translation import Counted, Text
from stocktake.meetings.models import Meeting
from stocktake.process.models import Process
from stocktake.process.terms import TAG_VOCABULARIES, TermReader
from stocktake.registry.models import Actor, GroupMembership


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
class Resolved:
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


class Resolver:
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
        self.definition = process.read_definition()
        self.terms = TermReader(self.definition)

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
    ) -> Resolved | None:
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
                bad("meeting", Text("unknown meeting %(meeting)r", meeting=data.meeting.strip()))
        tags = {
            vocabulary: self.terms.keys(vocabulary, getattr(data, vocabulary), bad)
            for vocabulary in TAG_VOCABULARIES
        }
        references = self._references(data.references, bad)
        language = data.language.strip().lower()
        if language and language not in KNOWN:
            bad("language", Text("unknown language code %(language)r", language=language))
        if len(data.external_id) > 120:
            bad("external_id", Text("is longer than %(limit)s characters", limit=120))
        submitted_at = _moment(data.submitted_at, bad)
        if new:
            self._check_open(submitted_at, bad)
        if len(problems) > before or actor is None:
            return None
        return Resolved(
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
        if not text and data.attachment_text.strip():
            # an input sent as an attachment alone is the attachment's text: a written contribution
            text = data.attachment_text.strip()[: self.max_chars]
            data.text, data.kind = text, InputKind.CONTRIBUTION.value
        if "\x00" in text:
            bad("text", Text("contains a NUL character"))
        if not text:
            bad("text", Text("is empty"))
        elif len(text) > self.max_chars:
            bad(
                "text",
                Text(
                    "is %(length)s characters long; the limit is %(limit)s",
                    length=Counted(len(text)),
                    limit=Counted(self.max_chars),
                ),
            )
        if len(data.title) > 300:
            bad("title", Text("is longer than %(limit)s characters", limit=300))
        if data.kind not in {k.value for k in InputKind}:
            kinds = ", ".join(k.value for k in InputKind)
            bad("kind", Text("%(value)r is not one of %(allowed)s", value=data.kind, allowed=kinds))
        allowed = (
            InputStatus.DRAFT.value,
            InputStatus.SUBMITTED.value,
            InputStatus.PUBLISHED.value,
        )
        if data.status not in allowed:
            bad(
                "status",
                Text(
                    "%(value)r is not one of %(allowed)s",
                    value=data.status,
                    allowed=", ".join(allowed),
                ),
            )
        elif data.status == InputStatus.PUBLISHED.value and not by.can(Permission.INPUTS_MODERATE):
            bad("status", Text("only the secretariat publishes inputs"))
        return text

    def _group(
        self, data: InputData, actor: Actor | None, bad: Callable[[str, str], None]
    ) -> Actor | None:
        key = data.on_behalf_of.strip()
        if not key:
            return None
        group = self.actors.get(key.casefold())
        if group is None:
            bad("on_behalf_of", Text("unknown actor %(actor)r", actor=key))
        elif group.kind != "group_of_states":
            bad("on_behalf_of", Text("%(actor)s is not a group of states", actor=group.code))
        elif actor is not None and actor.id not in self.members_of(group):
            bad(
                "on_behalf_of",
                Text("%(actor)s is not a member of %(group)s", actor=actor.code, group=group.code),
            )
        else:
            return group
        return None

    def _references(
        self, values: Sequence[str], bad: Callable[[str, str], None]
    ) -> list[tuple[str, str]]:
        references: list[tuple[str, str]] = []
        codes = {item.code for item in self.definition.instruments}
        for value in values:
            if not value.strip():
                continue
            parsed = parse_reference(value, codes)
            if parsed is None:
                bad(
                    "references",
                    Text(
                        "%(reference)r is neither an SDG goal, target or indicator"
                        " nor a known instrument",
                        reference=value.strip(),
                    ),
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
                bad("submitter", Text("is empty"))
                return None
            actor = self.session.get(Actor, by.actor_id)
        else:
            actor = self.actors.get(key.casefold())
            if actor is None:
                bad("submitter", Text("%(actor)r is not in the registry", actor=key))
                return None
        if (
            actor is not None
            and not by.can(Permission.INPUTS_SUBMIT_ANY)
            and actor.id != by.actor_id
        ):
            bad(
                "submitter",
                Text("you may submit only for your own actor, not for %(actor)s", actor=actor.code),
            )
            return None
        return actor


def _moment(value: str, bad: Callable[[str, str], None]) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        bad("submitted_at", Text("%(value)r is not an ISO 8601 date or date-time", value=value))
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def closed_for_inputs(process: Process) -> str | None:
    """Why the process takes no inputs today (its current phase is not open for inputs), or None."""
    definition = process.read_definition()
    return definition.closed_for_inputs(utcnow().date())


class MeetingChoice(NamedTuple):
    """A meeting as a choice of the inputs' forms and filters: read as columns, not as an ORM
    object, for a list that shows only these."""

    slug: str
    title: str


_MEETING_CHOICES = (
    select(Meeting.slug, Meeting.title)
    .where(
        Meeting.process_id == bindparam("process"),
        Meeting.phase_key.in_(bindparam("phases", expanding=True)),
    )
    .order_by(Meeting.start_date, Meeting.slug)
)


def input_meetings(session: Session, process: Process) -> list[MeetingChoice]:
    """The meetings an input may name: those of the phases open for inputs, by date."""
    definition = process.read_definition()
    open_phases = [phase.key for phase in definition.phases_open_for_inputs()]
    found = session.execute(_MEETING_CHOICES, {"process": process.id, "phases": open_phases})
    return [MeetingChoice(slug, title) for slug, title in found]


def require_submit(by: Principal) -> None:
    """A delegation or stakeholder submits for its own actor, the secretariat for any."""
    if not (by.can(Permission.INPUTS_SUBMIT_ANY) or by.can(Permission.INPUTS_SUBMIT_OWN)):
        raise PermissionDenied(
            Permission.INPUTS_SUBMIT_OWN, Text("role %(role)s", role=by.role.value)
        )


def input_values(
    process: Process, item: Resolved, by: Principal, channel: Channel, now: dt.datetime
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
