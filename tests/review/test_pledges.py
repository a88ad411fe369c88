"""Pledges: who may pledge and report for whom, what is refused, history, filters, the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.core.errors import PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.review.services.pledges import (
    PledgeData,
    PledgeFilter,
    list_pledges,
    publish_pledge,
    submit_pledge,
    update_pledge_status,
)

TEXT = "Training for labour inspectors on fair recruitment, in every region. " * 6


def _principal(session: Session, email: str) -> Principal:
    return principal_for(get_user(session, email))


def _data(**changes: object) -> PledgeData:
    fields: dict[str, object] = {
        "actor": "MEX",
        "title": "Inspectors trained",
        "description": TEXT,
        "kind": "human_resources",
        "level": "national",
        "objectives": [6],
        "actions": [],
        "start_year": 2024,
        "end_year": 2027,
    }
    fields.update(changes)
    return PledgeData(**fields)  # type: ignore[arg-type]


def test_a_delegation_pledges_for_itself_and_the_secretariat_publishes(session: Session) -> None:
    process = get_process(session)
    mexico = _principal(session, "mexico@gcm.example")
    pledge = submit_pledge(session, process, _data(), by=mexico)
    assert not pledge.is_published
    public = Principal.public()
    assert pledge not in list_pledges(session, process, by=public)
    assert pledge in list_pledges(session, process, by=mexico)
    assert pledge not in list_pledges(
        session, process, by=_principal(session, "philippines@gcm.example")
    )
    publish_pledge(session, pledge, by=_principal(session, "secretariat@gcm.example"))
    assert pledge in list_pledges(session, process, by=public)
    with pytest.raises(PermissionDenied):
        publish_pledge(session, pledge, by=mexico)


def test_an_actor_pledges_and_reports_only_for_itself(session: Session) -> None:
    process = get_process(session)
    philippines = _principal(session, "philippines@gcm.example")
    with pytest.raises(PermissionDenied):
        submit_pledge(session, process, _data(actor="MEX"), by=philippines)
    pledge = submit_pledge(session, process, _data(), by=_principal(session, "mexico@gcm.example"))
    with pytest.raises(PermissionDenied, match="only for itself"):
        update_pledge_status(session, pledge, status="completed", by=philippines)


def test_status_updates_keep_their_history(session: Session) -> None:
    mexico = _principal(session, "mexico@gcm.example")
    pledge = submit_pledge(session, get_process(session), _data(), by=mexico)
    update_pledge_status(session, pledge, status="in_progress", note="Started", by=mexico)
    update_pledge_status(session, pledge, status="completed", note="Done", by=mexico)
    assert pledge.status == "completed"
    assert [(u.status, u.note) for u in pledge.updates] == [
        ("planned", "Pledge submitted"),
        ("in_progress", "Started"),
        ("completed", "Done"),
    ]
    with pytest.raises(ValidationFailed, match="status"):
        update_pledge_status(session, pledge, status="forgotten", by=mexico)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": "Too short."}, "description", "has 10 characters"),
        ({"objectives": [24]}, "objectives", "objective 24 does not exist"),
        ({"objectives": []}, "objectives", "name at least one objective"),
        ({"actions": ["6(zz)"]}, "actions", "action 6(zz) does not exist"),
        ({"kind": "moral"}, "kind", "'moral' is not one of"),
        ({"start_year": 2030, "end_year": 2020}, "end_year", "must run forward"),
        ({"mode": "joint"}, "partners", "names its partners"),
        ({"mode": "matching", "matches": 999999}, "matches", "no published pledge 999999"),
    ],
)
def test_bad_pledges_are_refused_naming_the_field(
    session: Session, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        submit_pledge(session, get_process(session), _data(**changes), by=Principal.system())
    assert any(p.where == field and message in p.message for p in caught.value.problems)


def test_joint_and_matching_pledges_and_filters(session: Session) -> None:
    process = get_process(session)
    system = Principal.system()
    joint = submit_pledge(
        session, process, _data(mode="joint", partners=["PHL", "KEN"], kind="financial"), by=system
    )
    assert sorted(a.code for a in joint.partners) == ["KEN", "PHL"]
    publish_pledge(session, joint, by=system)
    matching = submit_pledge(
        session, process, _data(actor="KEN", mode="matching", matches=joint.id), by=system
    )
    assert matching.matches is joint
    found = list_pledges(session, process, PledgeFilter(objective=6, kind="financial"), by=system)
    assert joint in found
    assert matching not in found
    assert all(6 in [o.number for o in p.objectives] for p in found)


def test_the_api_submits_for_the_callers_own_actor(client: TestClient, session: Session) -> None:
    user = get_user(session, "mexico@gcm.example")
    headers = {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}
    body = {
        "title": "Remittance fees capped",
        "description": TEXT,
        "kind": "policy",
        "level": "national",
        "objectives": [20],
        "actions": [],
        "start_year": 2024,
        "end_year": 2026,
    }
    created = client.post("/api/v1/review/pledges", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["actor"] == "MEX"
    refused = client.post(
        "/api/v1/review/pledges", json={**body, "objectives": [99]}, headers=headers
    )
    assert refused.status_code == 422
    assert "objective 99 does not exist" in refused.text
    other = client.post("/api/v1/review/pledges", json={**body, "actor": "PHL"}, headers=headers)
    assert other.status_code == 403
