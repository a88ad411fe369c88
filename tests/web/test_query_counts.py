"""Every main page asks the database a bounded number of questions, whatever the data holds: the
demo has 2,000 inputs, 320 organisations and hundreds of paragraphs, amendments and registrations,
so a page that loads a row's relation one row at a time (N+1) asks hundreds and fails here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, principal_for_user_id
from stocktake.core.permissions import Principal
from stocktake.notifications.services.inbox import unread_of
from stocktake.process.services import get_process
from stocktake.review.services.cycles import get_cycle
from stocktake.review.services.mapping import (
    PracticeData,
    publish,
    submit_capacity,
    submit_practice,
    submit_voluntary_report,
)
from stocktake.web.deps import ANSWERS, asked_with_user
from stocktake.web.templating import UNREAD
from tests.browser.test_pages import DELEGATION, PUBLIC, SECRETARIAT

BOUND = 30
"""The most queries a page may take: sign-in, process, the page's lists and their counts."""
TIGHTER = {
    "/": 6,
    "/inputs": 9,
    "/mine": 11,
    "/drafts/1": 8,
    "/drafts/1/coverage": 12,
    "/drafts/1/paragraphs/para_12/thread": 17,
    "/actors/MEX/inputs": 13,
    "/review": 8,
    # the countries' titles, and the framework's titles of the indicators in the reader's language
    "/review/indicators": 8,
    "/review/pledges": 9,
    # the partners' confirmations, the countries' titles, the framework's titles of the indicators
    # without data
    "/review/cycles/imrf-2022-review": 18,
    "/review/objectives/1/thread": 15,
    "/review/practices": 7,
    "/review/capacity": 10,
}
"""Pages whose figures are read in a few aggregate queries, or kept between requests (the review's
progress, the process), and whose lists are read as columns or with their relations loaded at once:
bounds one above what they take, for every role."""


@pytest.fixture
def queries(connection: Connection) -> Iterator[list[str]]:
    said: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        said.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    yield said
    event.remove(connection, "before_cursor_execute", count)


@pytest.mark.parametrize(
    ("who", "pages"),
    [
        (None, PUBLIC),
        ("mexico@gcm.example", DELEGATION),
        ("secretariat@gcm.example", SECRETARIAT + PUBLIC),
    ],
    ids=["public", "delegation", "secretariat"],
)
def test_every_main_page_takes_a_bounded_number_of_queries(
    client: TestClient,
    signed_in: Callable[[str], TestClient],
    queries: list[str],
    who: str | None,
    pages: list[str],
) -> None:
    if who:
        signed_in(who)
    too_many = {}
    for path in pages:
        client.get(path)  # the first visit fills the process's caches
        queries.clear()
        answer = client.get(path)
        assert answer.status_code == 200, path
        if len(queries) > TIGHTER.get(path, BOUND):
            too_many[path] = len(queries)
    assert too_many == {}, f"pages over their bound of queries (an N+1?): {too_many}"


def test_the_frame_s_unread_count_is_read_with_the_signed_in_user_until_a_commit(
    client: TestClient,
    signed_in: Callable[[str], TestClient],
    queries: list[str],
    session: Session,
) -> None:
    """Every signed-in page shows the user's unread notifications: they are counted in the query
    that finds the user, not in one of their own; once a request has committed what it did, the
    count is asked again, so that the frame shows what is true after it."""
    signed_in("mexico@gcm.example")
    client.get("/news")
    queries.clear()
    page = client.get("/news")
    assert page.status_code == 200
    found = [q for q in queries if "notification" in q]
    assert len(found) == 1, found
    assert "user_account" in found[0], found
    user = get_user(session, "mexico@gcm.example")
    unread = session.scalar(select(unread_of(user.id)))
    assert unread
    assert f">{unread} unread<" in page.text
    # the answer holds for the transaction that read it, not past its commit
    principal, answers = principal_for_user_id(
        session, (user.id, user.session_generation), {UNREAD: unread_of}
    )
    assert principal is not None
    assert answers == {UNREAD: unread}
    session.info[ANSWERS] = (session.get_transaction(), answers)
    assert asked_with_user(session, UNREAD) == unread
    session.commit()
    assert asked_with_user(session, UNREAD) is None


TEXT = "Labour inspectors visited every recruitment agency and published what they found. " * 2
STATES = ["BRA", "CAN", "DEU", "ECU", "GHA", "KEN", "MAR", "PHL"]


def test_more_practices_capacity_and_reports_take_no_more_queries(
    client: TestClient,
    signed_in: Callable[[str], TestClient],
    session: Session,
    queries: list[str],
) -> None:
    """Practices, capacity needs and offers and voluntary reports each name their actor and
    objectives: read with their lists, so that more of them, by more actors, take no more queries
    (the demo holds too few of them for the bounds above to see one query per item)."""
    signed_in("secretariat@gcm.example")
    pages = ["/review/practices", "/review/capacity", "/review/cycles/imrf-2022-review"]

    def counts() -> dict[str, int]:
        found = {}
        for path in pages:
            client.get(path)
            queries.clear()
            assert client.get(path).status_code == 200, path
            found[path] = len(queries)
        return found

    before = counts()
    process, system = get_process(session), Principal.system()
    forum = get_cycle(session, "imrf-2022-review")
    for number, code in enumerate(STATES, start=1):
        practice = PracticeData(
            actor=code, title=f"Practice {code}", description=TEXT, objectives=[number, number + 1]
        )
        report = submit_voluntary_report(
            session, process, forum, actor=code, objective=number, text=TEXT * 2, by=system
        )
        need = submit_capacity(
            session,
            process,
            direction="need" if number % 2 else "offer",
            actor=code,
            objective=number,
            kind="data_and_research",
            description=TEXT,
            by=system,
        )
        for item in (submit_practice(session, process, practice, by=system), report, need):
            publish(session, item, by=system)
    assert counts() == before
