from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from stocktake.consultation.services.queries import (
    SHOWN_TEXT,
    InputFilter,
    list_input_rows,
    list_inputs,
)
from stocktake.core.permissions import Principal, Role
from stocktake.process.services import get_process
from tests.factories.accounts import member_of


def test_one_filter_reading_for_pages_api_and_commands() -> None:
    parsed = InputFilter.parse({"dimension": " human ", "q": "x" * 300, "status": "", "page": "2"})
    assert parsed == InputFilter(dimension="human", q="x" * 200)


@pytest.mark.parametrize(
    "filters",
    [
        InputFilter(),
        InputFilter(q="migrant workers"),
        InputFilter(submitter="MEX"),
        InputFilter(actor_kind="member_state", dimension="regional"),
    ],
    ids=["all", "search", "submitter", "kind and dimension"],
)
def test_the_lists_rows_are_the_inputs_the_query_finds(
    session: Session, filters: InputFilter
) -> None:
    """The pages' lists read inputs as columns (`list_input_rows`): the same inputs, in the same
    order, with the same author, tags and references as the objects `list_inputs` gives the API."""
    process = get_process(session)
    for by in (Principal.system(), member_of(session, "MEX", Role.DELEGATION_MEMBER)):
        objects = list_inputs(session, process, filters, by=by, page=2, page_size=20)
        rows = list_input_rows(session, process, filters, by=by, page=2, page_size=20)
        assert rows.total == objects.total > 0
        assert [
            (
                r.id,
                r.title,
                r.language,
                r.kind,
                r.status,
                r.submitted_at,
                r.actor_name,
                r.tags,
                r.references,
            )
            for r in rows.items
        ] == [
            (
                o.id,
                o.title,
                o.language,
                o.kind,
                o.status,
                o.submitted_at,
                o.actor.name,
                [(t.vocabulary, t.key) for t in o.tags],
                [(ref.scheme, ref.code) for ref in o.references],
            )
            for o in objects.items
        ]
        assert [r.text for r in rows.items] == [o.text[:SHOWN_TEXT] for o in objects.items]
