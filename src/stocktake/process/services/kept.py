"""The current process for pages and the API, kept in the app's process between requests.

Every request needs the process (its definition, phases and terms); loading it from the database
took a page about 1.7 ms of its time on SQLite (the definition's JSON, two more queries for the
phases and the terms). The process is the same for every reader and changes only when its
definition is loaded again, which writes the process row and so its `updated_at`. So the process
is kept, detached, under its id and `updated_at` (and the database it came from), and each request
asks only for those two (one indexed query) and merges the kept copy into its own session without
loading it again; a new `updated_at`, in this app process or any other on the database, loads it
afresh.

Only the process's own row is merged. Its phases and terms (about forty objects for the GCM, whose
merge cost a page half a millisecond) are the kept ones, shared by every request and set on the
request's copy as they were loaded: requests read them and never change them (a definition is
changed by loading it again, `load_process`, which reads its own). A request that expires its copy
reads them afresh from the database.

The request's process is also named in its session (`services.in_session`), so that what else the
request reads of the process (its default language, for the page's language) is read from that copy
instead of asking the database again.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from stocktake.core.errors import NotFound
from stocktake.process.models import Phase, Process, Term
from stocktake.process.services import IN_SESSION, get_process

_kept: dict[Hashable, tuple[Hashable, _Kept]] = {}
_lock = threading.Lock()
_ROW = Process.__table__.c
_VERSION = select(_ROW.id, _ROW.updated_at)  # read on the session's connection, as Core: cheaper
_BY_SLUG = _VERSION.where(_ROW.slug == bindparam("slug"))
_FIRST = _VERSION.order_by(_ROW.id).limit(1)


def kept_process(session: Session, slug: str | None = None) -> Process:
    """The process with this slug, or the first loaded, as `get_process` finds it: the request's
    own copy, in its session, of the one kept."""
    connection = session.connection()
    row = (
        connection.execute(_BY_SLUG, {"slug": slug}) if slug else connection.execute(_FIRST)
    ).first()
    if row is None:
        raise NotFound("process", slug or "(default)")
    key, version = (session.get_bind().engine.url, slug), (row.id, row.updated_at)
    session.info.setdefault(IN_SESSION, {})[slug] = row.id
    if identity_key(Process, row.id) in session.identity_map:
        return get_process(session, slug)  # this session's own, maybe changed: never kept
    with _lock:
        found = _kept.get(key)
    if found is None or found[0] != version:
        found = (version, _Kept.of(session, get_process(session, slug)))
        with _lock:
            _kept[key] = found
    return found[1].copy_in(session)


class _Kept:
    """A process as kept between requests: its row, without its collections, and its phases and
    terms, all detached."""

    def __init__(self, row: Process, phases: list[Phase], terms: list[Term]) -> None:
        self.row, self.phases, self.terms = row, phases, terms

    @classmethod
    def of(cls, session: Session, loaded: Process) -> _Kept:
        phases, terms = list(loaded.phases), list(loaded.terms)
        session.expunge(loaded)  # with its phases and terms
        columns = Process.__mapper__.column_attrs
        row = Process(**{column.key: getattr(loaded, column.key) for column in columns})
        make_transient_to_detached(row)  # its collections not loaded: merging it copies none
        return cls(row, phases, terms)

    def copy_in(self, session: Session) -> Process:
        """The request's copy: the row merged into its session, the kept phases and terms set on
        it as loaded (no change to record, nothing for the session to write)."""
        copy = session.merge(self.row, load=False)
        set_committed_value(copy, "phases", self.phases)
        set_committed_value(copy, "terms", self.terms)
        return copy
