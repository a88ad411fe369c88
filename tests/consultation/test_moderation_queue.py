"""Moderation at scale: the queue, what waits, bulk actions, publish and next."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.consultation.models import Input
from stocktake.consultation.services.moderation import moderate_inputs, waiting
from stocktake.core.errors import PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.process.services import get_process
from tests.conftest import csrf_of, sign_in
from tests.factories.accounts import account, signed_in
from tests.factories.consultation import submitted

SYSTEM = Principal.system()


def _submit(session: Session, count: int) -> None:
    """`count` inputs waiting to be published, each with an input type."""
    process = get_process(session)
    for number in range(count):
        submitted(
            session,
            process,
            f"Waiting input number {number} on consular protection.",
            submitter="KEN",
            input_types=["actionable_commitment"],
        )


def _waiting_ids(session: Session, count: int) -> list[int]:
    return list(
        session.scalars(
            select(Input.id).where(Input.status == "submitted").order_by(Input.id).limit(count)
        )
    )


def _events(session: Session, action: AuditAction, ids: list[int]) -> int:
    return (
        session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == action.value,
                AuditEvent.target_key.in_([str(i) for i in ids]),
            )
        )
        or 0
    )


def _status(session: Session, input_id: int) -> str:
    """The input's status as stored now, not as an object this session loaded earlier holds it."""
    return str(session.scalar(select(Input.status).where(Input.id == input_id)))


def test_the_queue_shows_what_waits_and_selects_a_whole_page(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "secretariat@gcm.example")
    counts = waiting(session, get_process(session), by=SYSTEM)
    assert counts.submitted > 50
    page = client.get("/inputs/queue")
    assert page.status_code == 200
    assert f"<strong>{counts.submitted:,}</strong> submitted, waiting to be published" in page.text
    assert f"<strong>{counts.drafts:,}</strong> drafts" in page.text
    assert page.text.count('name="ids"') == 50
    assert "checked" not in page.text.split("<tbody>")[1].split("</tbody>")[0]
    everything = client.get("/inputs/queue", params={"select": "all", "page": 2})
    rows = everything.text.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count(" checked") == 50
    assert "Page 2 of" in everything.text
    assert "Moderation queue" in client.get("/inputs").text


def test_bulk_publish_is_one_action_with_an_event_per_input(
    bare_client: TestClient, bare_session: Session
) -> None:
    _submit(bare_session, 3)
    ids = _waiting_ids(bare_session, 3)
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    response = bare_client.post(
        "/inputs/queue",
        data={"csrf": csrf_of(bare_client, "/inputs/queue"), "action": "publish", "ids": ids},
    )
    assert "3 inputs published." in response.text
    assert {_status(bare_session, i) for i in ids} == {"published"}  # type: ignore[union-attr]
    assert _events(bare_session, AuditAction.INPUT_PUBLISHED, ids) == 3
    again = bare_client.post(
        "/inputs/queue",
        data={"csrf": csrf_of(bare_client, "/inputs/queue"), "action": "publish", "ids": ids[:1]},
    )
    assert "0 inputs published. 1 input already published" in again.text


def test_bulk_withdraw_needs_a_reason_and_changes_all_or_nothing(
    bare_client: TestClient, bare_session: Session
) -> None:
    _submit(bare_session, 2)
    ids = _waiting_ids(bare_session, 2)
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    csrf = csrf_of(bare_client, "/inputs/queue")
    refused = bare_client.post(
        "/inputs/queue", data={"csrf": csrf, "action": "withdraw", "ids": ids}
    )
    assert "Nothing changed: reason: a withdrawal needs a reason" in refused.text
    too_long = bare_client.post(
        "/inputs/queue",
        data={"csrf": csrf, "action": "withdraw", "ids": ids, "reason": "x" * 2001},
    )
    assert "Nothing changed: reason: is longer than 2,000 characters" in too_long.text
    missing = bare_client.post(
        "/inputs/queue",
        data={"csrf": csrf, "action": "withdraw", "ids": [*ids, 10**9], "reason": "Spam"},
    )
    assert "no such input: 1000000000" in missing.text
    assert {_status(bare_session, i) for i in ids} == {"submitted"}  # type: ignore[union-attr]
    done = bare_client.post(
        "/inputs/queue", data={"csrf": csrf, "action": "withdraw", "ids": ids, "reason": "Spam"}
    )
    assert "2 inputs withdrawn." in done.text
    for i in ids:
        record = bare_session.get(Input, i)
        assert record is not None
        assert (record.status, record.withdrawn_reason) == ("withdrawn", "Spam")
    assert _events(bare_session, AuditAction.INPUT_WITHDRAWN, ids) == 2


def test_bulk_retag_sets_the_vocabularies_given(
    bare_client: TestClient, bare_session: Session
) -> None:
    _submit(bare_session, 4)
    ids = _waiting_ids(bare_session, 4)
    before = {i: bare_session.get(Input, i).tag_keys("input_types") for i in ids}  # type: ignore[union-attr]
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    response = bare_client.post(
        "/inputs/queue",
        data={
            "csrf": csrf_of(bare_client, "/inputs/queue"),
            "action": "retag",
            "ids": ids,
            "dimensions": ["human", "local"],
            "back": "status=submitted&page=1",
        },
    )
    assert str(response.url).endswith("/inputs/queue?status=submitted&page=1")
    assert "4 inputs retagged." in response.text
    for i in ids:
        record = bare_session.get(Input, i)
        assert record is not None
        bare_session.refresh(record)
        assert sorted(record.tag_keys("dimensions")) == ["human", "local"]
        assert record.tag_keys("input_types") == before[i]
    assert _events(bare_session, AuditAction.INPUT_RETAGGED, ids) == 4


def test_bulk_tagging_adds_to_each_input_s_own_tags(
    bare_client: TestClient, bare_session: Session
) -> None:
    _submit(bare_session, 2)  # each an actionable commitment
    ids = _waiting_ids(bare_session, 2)
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    response = bare_client.post(
        "/inputs/queue",
        data={
            "csrf": csrf_of(bare_client, "/inputs/queue"),
            "action": "tag",
            "ids": ids,
            "input_types": ["partnership"],
        },
    )
    assert "2 inputs tagged." in response.text
    for i in ids:
        record = bare_session.get(Input, i)
        assert record is not None
        bare_session.refresh(record)
        assert sorted(record.tag_keys("input_types")) == ["actionable_commitment", "partnership"]
        assert {t.source for t in record.tags if t.key == "partnership"} == {"secretariat"}
    again = bare_client.post(
        "/inputs/queue",
        data={
            "csrf": csrf_of(bare_client, "/inputs/queue"),
            "action": "tag",
            "ids": ids[:1],
            "input_types": ["partnership"],
        },
    )
    assert "already tagged, left as they were" in again.text


def test_the_service_refuses_unknown_actions_tags_and_roles(bare_session: Session) -> None:
    _submit(bare_session, 1)
    process = get_process(bare_session)
    ids = _waiting_ids(bare_session, 1)
    with pytest.raises(ValidationFailed, match="unknown action 'delete'"):
        moderate_inputs(bare_session, process, ids, "delete", by=SYSTEM)
    with pytest.raises(ValidationFailed, match="unknown dimension 'moon'"):
        moderate_inputs(bare_session, process, ids, "retag", by=SYSTEM, dimensions=["moon"])
    with pytest.raises(ValidationFailed, match="choose at least one input"):
        moderate_inputs(bare_session, process, [], "publish", by=SYSTEM)
    with pytest.raises(PermissionDenied):
        moderate_inputs(
            bare_session,
            process,
            ids,
            "publish",
            by=Principal(role=Role.DELEGATION_MEMBER, user_id=1),
        )


def test_publish_and_next_walks_the_queue_from_the_keyboard(
    bare_client: TestClient, bare_session: Session
) -> None:
    _submit(bare_session, 3)
    first, second, third = _waiting_ids(bare_session, 3)
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    start = bare_client.get("/inputs/queue/next", params={"after": 0})
    assert str(start.url).endswith(f"/inputs/{first}?queue=1")
    assert re.search(r"<button type=\"submit\" autofocus>Publish and next</button>", start.text)
    response = bare_client.post(
        f"/inputs/{first}/publish-next", data={"csrf": csrf_of(bare_client, f"/inputs/{first}")}
    )
    assert str(response.url).endswith(f"/inputs/{second}?queue=1")
    assert "published." in response.text
    assert _status(bare_session, first) == "published"  # type: ignore[union-attr]
    skipped = bare_client.get("/inputs/queue/next", params={"after": second})
    assert str(skipped.url).endswith(f"/inputs/{third}?queue=1")
    assert _status(bare_session, second) == "submitted"  # type: ignore[union-attr]


def test_the_queue_shows_the_newest_submissions_first_unless_asked_otherwise(
    bare_client: TestClient, bare_session: Session
) -> None:
    _submit(bare_session, 3)
    waiting_ids = _waiting_ids(bare_session, 3)
    first, last = waiting_ids[0], waiting_ids[-1]
    bare_session.execute(
        update(Input)
        .where(Input.id == last)
        .values(submitted_at=dt.datetime(2017, 12, 6, 9, 0, tzinfo=dt.UTC))
    )
    bare_session.execute(
        update(Input)
        .where(Input.id == first)
        .values(submitted_at=dt.datetime(2017, 12, 1, 9, 0, tzinfo=dt.UTC))
    )
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))

    def order(**params: str) -> list[int]:
        page = bare_client.get("/inputs/queue", params=params).text
        return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', page)]

    newest = order()
    assert newest.index(last) < newest.index(first)
    oldest = order(order="oldest")
    assert oldest.index(first) < oldest.index(last)
    assert (
        '<option value="oldest" selected>Oldest first</option>'
        in bare_client.get("/inputs/queue", params={"order": "oldest"}).text
    )
    assert order(order="sideways") == newest  # an unknown order falls back to newest first
