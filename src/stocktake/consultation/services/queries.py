"""Finding inputs: filters, substring search in any script, and who may see what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import NamedTuple

from sqlalchemy import Select, and_, exists, func, literal, or_, select, text, union_all
from sqlalchemy.orm import Session, aliased, selectinload

from stocktake.consultation.models import FrameworkReference, Input, InputStatus, InputTag
from stocktake.core.db import among, contains
from stocktake.core.pages import ResultPage
from stocktake.core.permissions import Permission, Principal, require
from stocktake.meetings.models import Meeting
from stocktake.process.models import Process
from stocktake.registry.models import Actor

MAX_FILTER = 200
"""Longest filter value read; the rest is cut."""


@dataclass(frozen=True)
class InputFilter:
    dimension: str | None = None
    input_type: str | None = None
    actor_kind: str | None = None
    region: str | None = None
    regional_group: str | None = None
    category: str | None = None
    meeting: str | None = None
    language: str | None = None
    status: str | None = None
    submitter: str | None = None
    q: str | None = None

    @classmethod
    def parse(cls, values: Mapping[str, str | None]) -> InputFilter:
        """The filter from query parameters, form fields or command options: each value trimmed and
        cut to 200 characters, empty ones dropped, names that are not filters ignored. The one
        reading of a filter for pages, the API and the command line."""
        return cls(
            **{f.name: (values.get(f.name) or "").strip()[:MAX_FILTER] or None for f in fields(cls)}
        )

    def query_string(self) -> str:
        from urllib.parse import urlencode

        return urlencode(
            {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}
        )


def visible_to(query: Select[Input], by: Principal) -> Select[Input]:
    if by.can(Permission.INPUTS_READ_ANY):
        return query
    published = Input.status == InputStatus.PUBLISHED.value
    if by.can(Permission.INPUTS_READ_OWN) and by.actor_id is not None:
        return query.where(or_(published, Input.actor_id == by.actor_id))
    return query.where(published)


def _search(query: Select[Input], session: Session, q: str) -> Select[Input]:
    """Every word of q must occur in the title, text or attachment, as a substring, in any script,
    ignoring case (both sides are case-folded by Python, so every backend agrees)."""
    terms = [term.casefold() for term in q.split() if term]
    sqlite = session.get_bind().dialect.name == "sqlite"
    long_terms = [t for t in terms if len(t) >= 3]
    if sqlite and long_terms:
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        fts = (
            select(text("rowid"))
            .select_from(text("input_fts"))
            .where(text("input_fts MATCH :match"))
        )
        query = query.where(Input.id.in_(fts)).params(match=match)
    for term in terms:
        if not sqlite or len(term) < 3:
            query = query.where(contains(Input.search_text, term, any_case=False))
    return query


def filtered(
    session: Session, process: Process, filters: InputFilter, by: Principal
) -> Select[Input]:
    require(by, Permission.INPUTS_READ_PUBLISHED)
    query = visible_to(select(Input).where(Input.process_id == process.id), by)
    for vocabulary, key in (("dimensions", filters.dimension), ("input_types", filters.input_type)):
        if key:
            query = query.where(
                exists().where(
                    and_(
                        InputTag.input_id == Input.id,
                        InputTag.vocabulary == vocabulary,
                        InputTag.key == key,
                    )
                )
            )
    actor_conditions = []
    if filters.actor_kind:
        actor_conditions.append(Actor.kind == filters.actor_kind)
    if filters.region:
        actor_conditions.append(Actor.region == filters.region)
    if filters.regional_group:
        actor_conditions.append(Actor.regional_group == filters.regional_group)
    if filters.category:
        actor_conditions.append(Actor.stakeholder_category == filters.category)
    if filters.submitter:
        actor_conditions.append(Actor.code == filters.submitter)
    if actor_conditions:
        query = query.where(Input.actor_id.in_(select(Actor.id).where(*actor_conditions)))
    if filters.meeting:
        query = query.where(
            Input.meeting_id.in_(select(Meeting.id).where(Meeting.slug == filters.meeting))
        )
    if filters.language:
        query = query.where(Input.language == filters.language)
    if filters.status:
        query = query.where(Input.status == filters.status)
    if filters.q:
        query = _search(query, session, filters.q)
    return query


def list_inputs(
    session: Session,
    process: Process,
    filters: InputFilter,
    *,
    by: Principal,
    page: int = 1,
    page_size: int = 50,
) -> ResultPage[Input]:
    query = filtered(session, process, filters, by)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.scalars(
        query.options(
            selectinload(Input.tags), selectinload(Input.actor), selectinload(Input.references)
        )
        .order_by(Input.submitted_at.desc().nulls_last(), Input.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return ResultPage(items=rows, total=total, page=page, page_size=page_size)


class TagRow(NamedTuple):
    vocabulary: str
    key: str


class ReferenceRow(NamedTuple):
    scheme: str
    code: str


class AuthorRow(NamedTuple):
    """An input's actor as a list names it: by its name, a State in the reader's language (the
    `actor_named` filter reads its kind and country)."""

    name: str
    kind: str
    iso3: str | None

    @property
    def display_name(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class InputRow:
    """What a list of inputs shows of one: read as columns, not as an ORM object with its
    relations. `text` is the start of the text only (`SHOWN_TEXT` characters), enough for any
    list's shortened text to come out as from the whole."""

    id: int
    title: str
    text: str
    language: str
    kind: str
    status: str
    submitted_at: dt.datetime | None
    author: AuthorRow
    tags: list[TagRow]
    references: list[ReferenceRow]

    @property
    def actor_name(self) -> str:
        return self.author.name


_AUTHOR = aliased(Actor, name="author")
"""The input's actor as the lists name it, apart from the filter's own join (by kind or region);
made once (an alias made per request built its twenty columns each time)."""

SHOWN_TEXT = 300
"""Characters of an input's text a list reads: more than the longest shortened text a list shows
(280, with Jinja's `truncate` leeway of 5), so the shortening is the same as of the whole text."""


def list_input_rows(
    session: Session,
    process: Process,
    filters: InputFilter,
    *,
    by: Principal,
    page: int = 1,
    page_size: int = 50,
) -> ResultPage[InputRow]:
    """The page of inputs `list_inputs` finds, as the lists of the pages show them: the columns
    they show, and the tags and references of the page's inputs in one more query."""
    query = filtered(session, process, filters, by)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    author = _AUTHOR
    found = session.execute(
        query.with_only_columns(
            Input.id,
            Input.title,
            func.substr(Input.text, 1, SHOWN_TEXT),
            Input.language,
            Input.kind,
            Input.status,
            Input.submitted_at,
            author.name,
            author.kind,
            author.iso3,
        )
        .join(author, author.id == Input.actor_id)
        .order_by(Input.submitted_at.desc().nulls_last(), Input.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    labels: dict[int, tuple[list[TagRow], list[ReferenceRow]]] = {row[0]: ([], []) for row in found}
    if labels:
        tags = select(
            InputTag.input_id, literal(0), InputTag.vocabulary, InputTag.key, InputTag.id
        ).where(among(session, InputTag.input_id, labels))
        references = select(
            FrameworkReference.input_id,
            literal(1),
            FrameworkReference.scheme,
            FrameworkReference.code,
            FrameworkReference.id,
        ).where(among(session, FrameworkReference.input_id, labels))
        every = union_all(tags, references).subquery()
        for input_id, which, first, second, _ in session.execute(
            select(every).order_by(every.c[1], every.c[4])
        ):
            if which == 0:
                labels[input_id][0].append(TagRow(first, second))
            else:
                labels[input_id][1].append(ReferenceRow(first, second))
    rows = [
        InputRow(
            id=row[0],
            title=row[1],
            text=row[2],
            language=row[3],
            kind=row[4],
            status=row[5],
            submitted_at=row[6],
            author=AuthorRow(row[7], row[8], row[9]),
            tags=labels[row[0]][0],
            references=labels[row[0]][1],
        )
        for row in found
    ]
    return ResultPage(items=rows, total=total, page=page, page_size=page_size)


def iter_inputs(
    session: Session, process: Process, filters: InputFilter, *, by: Principal, chunk: int = 2000
) -> Sequence[Input]:
    """Every matching input, oldest first, with what an export needs loaded."""
    query = filtered(session, process, filters, by).options(
        selectinload(Input.tags),
        selectinload(Input.actor),
        selectinload(Input.on_behalf_of),
        selectinload(Input.meeting),
        selectinload(Input.references),
    )
    return session.scalars(query.order_by(Input.id).execution_options(yield_per=chunk)).all()
