"""A delegation's own items on one page: its inputs and drafts, amendments, pledges, registrations."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.consultation.models import Input
from stocktake.meetings.models import Participant
from stocktake.negotiation.models import AmendmentPosition
from stocktake.registry.models import Actor
from stocktake.review.models import Pledge
from tests.conftest import sign_in


def _count(session: Session, query: object) -> int:
    return session.scalar(query) or 0  # type: ignore[call-overload]


def test_a_delegation_sees_its_own_items_and_only_its_own(
    client: TestClient, session: Session
) -> None:
    mexico = session.scalar(select(Actor).where(Actor.code == "MEX"))
    assert mexico is not None
    sign_in(client, "mexico@gcm.example")
    home = client.get("/").text
    assert '<a href="/mine"' in home
    page = client.get("/mine")
    assert page.status_code == 200
    text = page.text
    inputs = _count(session, select(func.count(Input.id)).where(Input.actor_id == mexico.id))
    assert f"Inputs ({inputs:,})" in text
    sponsored = _count(
        session,
        select(func.count(AmendmentPosition.id)).where(
            AmendmentPosition.actor_id == mexico.id,
            AmendmentPosition.role.in_(["sponsor", "co_sponsor"]),
        ),
    )
    assert f"Amendments ({sponsored})" in text
    pledges = _count(session, select(func.count(Pledge.id)).where(Pledge.actor_id == mexico.id))
    assert f"Pledges ({pledges})" in text
    meetings = _count(
        session,
        select(func.count(func.distinct(Participant.meeting_id))).where(
            Participant.actor_id == mexico.id
        ),
    )
    assert f"Registrations ({meetings})" in text
    assert min(inputs, sponsored, meetings) > 0  # the demo gives Mexico something of each
    shown = {int(i) for i in re.findall(r'href="/inputs/(\d+)"', text)}
    owners = set(session.scalars(select(Input.actor_id).where(Input.id.in_(shown))))
    assert owners == {mexico.id}


def test_an_account_without_an_actor_is_told_where_its_work_is(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    page = client.get("/mine")
    assert page.status_code == 200
    assert "acts for no delegation or organisation" in page.text
    assert '<a href="/mine"' not in client.get("/").text
