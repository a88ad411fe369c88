"""A process whose definition holds drafted news for the secretariat's review."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.news.models import NewsItem
from stocktake.news.services import news_page, publish_news
from stocktake.process.definition.loading import default_definition_path
from tests.factories.meetings import meeting
from tests.factories.process import process_from
from tests.news.conftest import valid_feed

SYSTEM = Principal.system()


def test_held_news_waits_for_the_secretariat(
    bare_client: TestClient, bare_session: Session
) -> None:
    process = process_from(
        bare_session,
        default_definition_path(),
        replace={"\n[summary]\n": "\n[news]\nhold_for_review = true\n\n[summary]\n"},
    )
    added = meeting(
        bare_session,
        process,
        meeting_type="review_forum",
        start=dt.date(2026, 5, 5),
        title="Second review forum",
    )
    item = bare_session.scalar(select(NewsItem).where(NewsItem.source == f"meeting:{added.slug}"))
    assert item is not None
    assert (item.status, item.waits) == ("draft", False)
    assert item.title == "Meeting announced: Second review forum"
    assert news_page(bare_session, process, by=Principal.public()).total == 0
    assert "Second review forum" not in bare_client.get("/news").text
    assert bare_client.get(f"/news/{item.id}").status_code == 404
    assert b"Second review forum" not in bare_client.get("/news.atom").content
    publish_news(bare_session, item, by=SYSTEM)
    assert "Meeting announced: Second review forum" in bare_client.get("/news").text
    assert b"Second review forum" in bare_client.get("/news.atom").content


def test_without_news_the_feed_is_still_a_feed(bare_client: TestClient) -> None:
    _, parsed = valid_feed(bare_client)
    assert parsed.entries == []
    assert "No news yet." in bare_client.get("/news").text
