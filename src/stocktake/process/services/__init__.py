"""Load a process definition into the database, and read processes back."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, object_session, selectinload
from sqlalchemy.orm.util import identity_key

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text, translatable
from stocktake.process.definition import VOCABULARIES, ProcessDefinition
from stocktake.process.models import Phase, Process, Term, names_process_keys


def load_process(
    session: Session, definition: ProcessDefinition, *, by: Principal, source: str = ""
) -> Process:
    """Create or update a process from its definition (idempotent). Keys still used by
    stored meetings cannot be removed; such a definition is refused whole."""
    require(by, Permission.PROCESS_LOAD)
    with transaction(session):
        process = session.scalar(
            select(Process)
            .where(Process.slug == definition.process.slug)
            .options(selectinload(Process.phases), selectinload(Process.terms))
        )
        created = process is None
        if process is None:
            process = Process(slug=definition.process.slug)
            session.add(process)
        else:
            _refuse_removing_used_keys(session, process, definition, source)
        before = process.definition or {}
        info = definition.process
        process.name = info.name
        process.short_name = info.short_name
        process.mandate = info.mandate
        process.description = info.description.strip()
        process.definition = definition.model_dump(mode="json")
        _sync_phases(process, definition)
        _sync_terms(process, definition)
        session.flush()
        changed = created or before != process.definition
        if changed:
            record_event(
                session,
                by=by,
                action=AuditAction.PROCESS_LOADED,
                target_type="process",
                target_key=process.slug,
                summary=f"{'created' if created else 'updated'} from {source or 'definition'}",
                changes={"phases": [p.key for p in definition.phases]},
            )
    return process


def _sync_phases(process: Process, definition: ProcessDefinition) -> None:
    existing = {phase.key: phase for phase in process.phases}
    keep = []
    for position, item in enumerate(definition.phases):
        phase = existing.get(item.key) or Phase(key=item.key)
        phase.name = item.name
        phase.position = position
        phase.start_date = item.start
        phase.end_date = item.end
        phase.description = item.description
        keep.append(phase)
    process.phases = keep


def _sync_terms(process: Process, definition: ProcessDefinition) -> None:
    existing = {(term.vocabulary, term.key): term for term in process.terms}
    keep = []
    for vocabulary in VOCABULARIES:
        for position, item in enumerate(definition.vocabulary(vocabulary)):
            term = existing.get((vocabulary, item.key)) or Term(vocabulary=vocabulary, key=item.key)
            term.position = position
            term.name = item.name
            term.names = item.all_names()
            term.description = item.description
            keep.append(term)
    process.terms = keep


_IN_USE = {
    ("phase", "meeting"): translatable("phase %(value)r is used by meeting %(label)r"),
    ("meeting type", "meeting"): translatable(
        "meeting type %(value)r is used by meeting %(label)r"
    ),
}
"""What a key still in use says, by the word for the key and the owner that uses it."""


def _refuse_removing_used_keys(
    session: Session, process: Process, definition: ProcessDefinition, source: str
) -> None:
    kept = {"phases": {p.key for p in definition.phases}} | {
        vocabulary: {t.key for t in definition.vocabulary(vocabulary)}
        for vocabulary in VOCABULARIES
    }
    problems = []
    for model in names_process_keys():
        columns = list(model.process_keys)
        query = select(
            getattr(model, model.process_key_label), *(getattr(model, c) for c in columns)
        ).where(getattr(model, model.process_key_parent) == process.id)
        for label, *values in session.execute(query):
            for column, value in zip(columns, values, strict=True):
                vocabulary, word = model.process_keys[column]
                if value not in kept[vocabulary]:
                    said = _IN_USE.get(
                        (word, model.process_key_owner),
                        "%(word)s %(value)r is used by %(owner)s %(label)r",
                    )
                    problems.append(
                        Problem(
                            vocabulary,
                            Text(
                                said,
                                word=word,
                                value=value,
                                owner=model.process_key_owner,
                                label=label,
                            ),
                        )
                    )
    if problems:
        raise ValidationFailed(source or process.slug, problems)


def list_processes(session: Session, *, by: Principal) -> list[Process]:
    require(by, Permission.PROCESS_READ)
    return list(session.scalars(select(Process).order_by(Process.id)))


def get_process(session: Session, slug: str | None = None) -> Process:
    """The process with this slug, or the first loaded when no slug is given."""
    query = select(Process).options(selectinload(Process.phases), selectinload(Process.terms))
    query = query.where(Process.slug == slug) if slug else query.order_by(Process.id).limit(1)
    process = session.scalar(query)
    if process is None:
        raise NotFound(Text("process"), slug or "(default)")
    return process


IN_SESSION = "stocktake.kept_process"
"""Where `kept.kept_process` names, in a session's info, the process it gave that session."""


def in_session(session: Session, slug: str | None = None) -> Process | None:
    """The process with this slug as `kept.kept_process` gave it to this session, with its
    definition as the session holds it now (a load of the definition in the same session changes
    that copy); None when the session has not asked for it, or holds it expired (after a commit)."""
    process_id = session.info.get(IN_SESSION, {}).get(slug)
    if process_id is None:
        return None
    process = session.identity_map.get(identity_key(Process, process_id))
    if not isinstance(process, Process) or "definition" not in inspect(process).dict:
        return None
    return process


def default_language(session: Session, slug: str | None = None) -> str:
    """The language of the process's pages for a reader who asks for none of the six (its
    definition's `[process] language`): English when the definition says none or no process is
    loaded. Read from the request's own copy of the process when it has one (`in_session`), else
    from the database."""
    process = in_session(session, slug)
    if process is not None:
        said = (process.definition or {}).get("process")
        language = said.get("language") if isinstance(said, dict) else None
        return language if isinstance(language, str) and language else "en"
    language = Process.definition["process"]["language"].as_string()
    query = select(language)
    query = query.where(Process.slug == slug) if slug else query.order_by(Process.id).limit(1)
    return session.scalar(query) or "en"


def process_name_of(item: object) -> str:
    """The name of the process a stored thing belongs to (by its `process_id`): who its papers
    say issued them. Empty when it belongs to none."""
    session = object_session(item)
    process_id = getattr(item, "process_id", None)
    process = session.get(Process, process_id) if session is not None and process_id else None
    return process.name if process is not None else ""
