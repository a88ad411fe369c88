"""The demo's negotiation of 2018 reads at its own dates, on the pages and on paper, whenever the
demo was loaded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.errors import PermissionDenied
from stocktake.core.permissions import Role
from stocktake.demo.negotiation import DEMO_SOURCE
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import issue_revision
from tests.conftest import sign_in
from tests.factories.accounts import user

TODAY = dt.datetime.now(dt.UTC).date()


def _draft(session: Session) -> Draft:
    draft = session.scalar(select(Draft).where(Draft.source == DEMO_SOURCE))
    assert draft is not None
    return draft


def test_the_revisions_and_decisions_bear_their_2018_dates(
    client: TestClient, session: Session
) -> None:
    draft = _draft(session)
    sign_in(client, "secretariat@gcm.example")
    revisions = client.get(f"/drafts/{draft.id}/revisions").text
    assert '<time datetime="2018-02-05T15:00">' in revisions  # the zero draft
    assert '<time datetime="2018-03-05T15:00">' in revisions  # Rev.1
    assert f'datetime="{TODAY:%Y-%m-%d}' not in revisions
    decisions = client.get(f"/drafts/{draft.id}/decisions").text
    decided = {d for d in ("2018-02-23",) if f'<time datetime="{d}">' in decisions}
    assert decided == {"2018-02-23"}  # the last day of the first round, 20–23 February 2018
    assert f'datetime="{TODAY:%Y-%m-%d}' not in decisions
    amendment = client.get(f"/drafts/{draft.id}/amendments/1").text
    assert '<time datetime="2018-02-12T09:00">' in amendment  # tabled before the round


def test_rev1_on_paper_is_of_5_march_2018(client: TestClient, session: Session) -> None:
    draft = _draft(session)
    sign_in(client, "secretariat@gcm.example")  # Rev.1 is not published yet
    path = f"/drafts/{draft.id}/export"
    paper = Document(io.BytesIO(client.get(path, params={"revision": 1}).content))
    header = " ".join(
        p.text for section in paper.sections for p in section.first_page_header.paragraphs
    ) + " ".join(p.text for section in paper.sections for p in section.header.paragraphs)
    assert "5 March 2018" in header
    akn = client.get(path, params={"revision": 1, "format": "akn"}).text
    assert 'FRBRdate date="2018-03-05"' in akn
    assert f'FRBRdate date="{TODAY:%Y-%m-%d}"' not in akn


def test_the_news_of_the_negotiation_is_of_its_days(client: TestClient) -> None:
    news = client.get("/news").text
    released = news.index("Zero draft released")
    assert '<time datetime="2018-02-05">' in news[released : released + 600]
    assert f'<time datetime="{TODAY:%Y-%m-%d}">' not in news.split("Review cycle opened")[0]


def test_only_the_system_dates_a_revision_in_the_past(session: Session) -> None:
    draft = _draft(session)
    secretariat = user(session, Role.SECRETARIAT)
    with pytest.raises(PermissionDenied):
        issue_revision(
            session, draft, issued_at=dt.datetime(2018, 6, 4, tzinfo=dt.UTC), by=secretariat
        )
    assert [r.label for r in draft.revisions] == ["Zero draft", "Rev.1"]
