"""Drafts: import, who reads what, the working text, edits of an element and its status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict, NotFound, PermissionDenied, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Counted, Text
from stocktake.negotiation.formats.reading import MAX_ELEMENTS, ParsedDraft
from stocktake.negotiation.models import (
    EID_PREFIX,
    Amendment,
    CompilationReaders,
    Draft,
    DraftElement,
    DraftRevision,
    NegotiationSetting,
    ParagraphStatus,
)
from stocktake.negotiation.said import changed_meanwhile, changed_since, element_called, longer_than
from stocktake.negotiation.services.anchoring import reanchor_pending
from stocktake.negotiation.services.queries import element_of, get_amendment
from stocktake.process.models import Process
from stocktake.registry.models import GOVERNMENTAL_KINDS, STATE_KINDS, Actor

MAX_ELEMENT_CHARS = 20_000
T = TypeVar("T")


_READ = "stocktake.negotiation.read"


def _once(session: Session, key: tuple[Any, ...], read: Callable[[], T]) -> T:
    """What `read` gives, read once per transaction of the session: a page asks who reads the
    working text several times (the draft, its text, the drafts of an objective), and a setting
    or actor the session does not hold on to is asked of the database each time otherwise."""
    kept: tuple[object, dict[tuple[Any, ...], Any]] | None = session.info.get(_READ)
    if kept is not None and kept[0] is session.get_transaction() and key in kept[1]:
        return cast("T", kept[1][key])
    value = read()
    transaction = session.get_transaction()
    if transaction is not None:
        if kept is None or kept[0] is not transaction:
            kept = (transaction, {})
            session.info[_READ] = kept
        kept[1][key] = value
    return value


def compilation_readers(session: Session, process: Process) -> CompilationReaders:
    def read() -> CompilationReaders:
        setting = session.get(NegotiationSetting, process.id)
        return CompilationReaders(
            setting.compilation_readers if setting else CompilationReaders.MEMBER_STATES
        )

    return _once(session, ("readers", process.id), read)


def set_compilation_readers(
    session: Session, process: Process, readers: CompilationReaders, *, by: Principal
) -> None:
    """Decide who reads working and compilation texts before a revision is published."""
    require(by, Permission.DRAFTS_MANAGE)
    with transaction(session):
        session.info.pop(_READ, None)
        setting = session.get(NegotiationSetting, process.id)
        previous = setting.compilation_readers if setting else None
        if previous == readers.value:
            return  # so already: nothing changes, nothing is recorded
        if setting is None:
            setting = NegotiationSetting(process_id=process.id)
            session.add(setting)
        setting.compilation_readers = readers.value
        record_event(
            session,
            by=by,
            action=AuditAction.DRAFT_SETTINGS_CHANGED,
            target_type="process",
            target_key=process.slug,
            summary=f"compilation texts readable by: {readers.value}",
            changes={"compilation_readers": [previous, readers.value]},
        )


def reads_working_text(session: Session, process: Process, by: Principal) -> bool:
    """The secretariat always; others as the process's setting says."""
    if by.can(Permission.DRAFTS_MANAGE):
        return True
    readers = compilation_readers(session, process)
    if readers is CompilationReaders.SECRETARIAT or not by.is_authenticated:
        return False
    if readers is CompilationReaders.SIGNED_IN:
        return True
    actor_id = by.actor_id
    if actor_id is None:
        return False
    kind = _once(session, ("actor kind", actor_id), lambda: _actor_kind(session, actor_id))
    if kind is None:
        return False
    kinds: tuple[str, ...] = (*STATE_KINDS, "group_of_states")
    if readers is CompilationReaders.GOVERNMENTAL:
        kinds = GOVERNMENTAL_KINDS
    return kind in kinds


def _actor_kind(session: Session, actor_id: int) -> str | None:
    actor = session.get(Actor, actor_id)
    return actor.kind if actor is not None else None


def require_working_text(session: Session, process: Process, by: Principal) -> None:
    if not reads_working_text(session, process, by):
        raise PermissionDenied(
            "negotiation:draft:read_compilation",
            Text(
                "compilation texts are read by: %(readers)s",
                readers=compilation_readers(session, process).value,
            ),
        )


def list_drafts(session: Session, process: Process, *, by: Principal) -> list[Draft]:
    """Every draft for those who read working texts; drafts with a published revision for others."""
    require(by, Permission.DRAFTS_READ_PUBLISHED)
    query = select(Draft).where(Draft.process_id == process.id).order_by(Draft.id)
    if not reads_working_text(session, process, by):
        query = query.where(Draft.published_revision.is_not(None))
    return list(session.scalars(query.options(selectinload(Draft.revisions))))


def get_draft(
    session: Session,
    process: Process,
    draft_id: int,
    *,
    by: Principal,
    acting: Permission | None = None,
) -> Draft:
    """A draft its reader may see. `acting` names the permission of the action the caller takes
    on it next: it is checked before the lookup, so whoever may not act is refused without
    learning whether the draft exists."""
    if acting is not None:
        require(by, acting)
    require(by, Permission.DRAFTS_READ_PUBLISHED)
    draft = session.scalar(_DRAFT, {"draft": draft_id, "process": process.id})
    if draft is not None:
        _load_text(session, draft)
    if draft is None or not (
        draft.published_revision is not None or reads_working_text(session, process, by)
    ):
        raise NotFound(Text("draft"), draft_id)
    return draft


_DRAFT = select(Draft).where(
    Draft.id == bindparam("draft"), Draft.process_id == bindparam("process")
)
_ELEMENTS = (
    select(DraftElement)
    .where(DraftElement.draft_id == bindparam("draft"))
    .order_by(DraftElement.position)
)
_REVISIONS = (
    select(DraftRevision)
    .where(DraftRevision.draft_id == bindparam("draft"))
    .order_by(DraftRevision.number)
)


def _load_text(session: Session, draft: Draft) -> None:
    """The draft's elements and revisions, each read with one query of its own, unless the session
    holds them already (loaded, perhaps changed). The same as loading them with `selectinload`, in
    half the time: every page of a draft reads them, and the loader's own work was a millisecond
    of such a page."""
    unloaded = inspect(draft).unloaded
    for key, query in (("elements", _ELEMENTS), ("revisions", _REVISIONS)):
        if key in unloaded:
            set_committed_value(draft, key, list(session.scalars(query, {"draft": draft.id})))


def amendable_draft(session: Session, process: Process, draft_id: int, *, by: Principal) -> Draft:
    """A draft to propose amendments to or take positions on: for delegations (and the
    secretariat) who read its working text; others are refused before the lookup."""
    if not by.can(Permission.AMENDMENTS_PROPOSE_ANY):
        require(by, Permission.AMENDMENTS_PROPOSE_OWN)
    draft = get_draft(session, process, draft_id, by=by)
    require_working_text(session, process, by)
    return draft


def amendable_amendment(
    session: Session, process: Process, draft_id: int, number: int, *, by: Principal
) -> tuple[Draft, Amendment]:
    """An amendment to act on as a delegation (edit, withdraw, confirm, take a position), with its
    draft: refused, as `amendable_draft`, to whoever may not amend before the lookup."""
    draft = amendable_draft(session, process, draft_id, by=by)
    return draft, get_amendment(session, draft, number)


def check_parsed(parsed: ParsedDraft, source: str) -> None:
    problems = [
        Problem(f"element {i}", longer_than(MAX_ELEMENT_CHARS))
        for i, e in enumerate(parsed.elements, start=1)
        if len(e.text) > MAX_ELEMENT_CHARS
    ]
    if len(parsed.elements) > MAX_ELEMENTS:
        problems.append(
            Problem("", Text("more than %(limit)s elements", limit=Counted(MAX_ELEMENTS)))
        )
    if not parsed.title.strip():
        problems.append(Problem("title", Text("is empty")))
    if problems:
        raise ValidationFailed(source, problems)


def kept_identities(parsed: ParsedDraft) -> dict[int, str]:
    """The identities a file carries (its product's own export read back) by element position
    from 1, each kept once and only for an element of its kind, so that the draft's elements keep
    the identities they had where the file came from."""
    kept: dict[int, str] = {}
    seen: set[str] = set()
    for position, element in enumerate(parsed.elements, start=1):
        eid = element.eid
        if eid and eid not in seen and eid.startswith(EID_PREFIX[element.kind] + "_"):
            kept[position] = eid
            seen.add(eid)
    return kept


def import_draft(
    session: Session,
    process: Process,
    parsed: ParsedDraft,
    *,
    by: Principal,
    source: str = "",
    language: str = "en",
) -> Draft:
    """Store a parsed draft as a new working text, each element with an identity of its own:
    the one the file carries when it is the product's own export, a new one otherwise."""
    require(by, Permission.DRAFTS_MANAGE)
    check_parsed(parsed, source or parsed.title)
    with transaction(session):
        return store_draft(session, process, parsed, by=by, source=source, language=language)


def store_draft(
    session: Session,
    process: Process,
    parsed: ParsedDraft,
    *,
    by: Principal,
    source: str,
    language: str,
) -> Draft:
    draft = Draft(
        process_id=process.id,
        title=parsed.title.strip()[:500],
        language=language,
        source=source[:300],
        origin=parsed.origin,
        next_sequence=1,
        next_amendment=1,
    )
    session.add(draft)
    kept = kept_identities(parsed)
    draft.next_sequence = 1 + max((int(e.rsplit("_", 1)[1]) for e in kept.values()), default=0)
    for position, element in enumerate(parsed.elements, start=1):
        draft.elements.append(
            DraftElement(
                eid=kept.get(position) or draft.new_eid(element.kind),
                kind=element.kind.value,
                position=position * 10,
                text=element.text,
                origin=element.origin,
                label=element.label,
                status=element.status,
            )
        )
    session.flush()
    record_event(
        session,
        by=by,
        action=AuditAction.DRAFT_IMPORTED,
        target_type="draft",
        target_key=draft.id,
        summary=f"{draft.title} ({len(parsed.elements)} elements) from {source or 'text'}",
    )
    return draft


def _locked(element: DraftElement | Any, expected: int | None, what: str) -> None:
    if expected is not None and expected != element.version:
        raise Conflict(changed_since(what, expected, element.version))


def edit_element(
    session: Session,
    draft: Draft,
    eid: str,
    text: str,
    *,
    expected_version: int | None = None,
    by: Principal,
) -> DraftElement:
    """Change an element's words; the second of two editors gets a conflict, nothing is lost."""
    require(by, Permission.DRAFTS_MANAGE)
    element = element_of(draft, eid)
    text = " ".join(text.split())
    if not text:
        raise ValidationFailed(eid, [Problem("text", Text("is empty"))])
    if len(text) > MAX_ELEMENT_CHARS:
        raise ValidationFailed(eid, [Problem("text", longer_than(MAX_ELEMENT_CHARS))])
    _locked(element, expected_version, element_called(eid))
    previous = element.text
    if text == previous:
        return element
    try:
        with transaction(session):
            element.text = text
            session.flush()
            reanchor_pending(session, draft)
            record_event(
                session,
                by=by,
                action=AuditAction.ELEMENT_EDITED,
                target_type="draft",
                target_key=draft.id,
                summary=f"{eid} edited",
                changes={"text": [previous, text]},
            )
    except StaleDataError as exc:
        raise Conflict(changed_meanwhile(element_called(eid))) from exc
    return element


def set_paragraph_status(
    session: Session,
    draft: Draft,
    eid: str,
    status: ParagraphStatus,
    *,
    expected_version: int | None = None,
    by: Principal,
) -> DraftElement:
    require(by, Permission.DRAFTS_MANAGE)
    element = element_of(draft, eid)
    _locked(element, expected_version, element_called(eid))

    previous = element.status
    if previous == status.value:
        return element  # so already: nothing changes, nothing is recorded
    try:
        with transaction(session):
            element.status = status.value
            record_event(
                session,
                by=by,
                action=AuditAction.PARAGRAPH_STATUS_SET,
                target_type="draft",
                target_key=draft.id,
                summary=f"{eid}: {status.value}",
                changes={"status": [previous, status.value]},
            )
    except StaleDataError as exc:
        raise Conflict(changed_meanwhile(element_called(eid))) from exc
    return element
