"""Pledges: who may pledge and report for whom, what is refused, history, filters, the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.models import User
from stocktake.accounts.services import issue_token, principal_for
from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.core.errors import PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.process.services import get_process
from stocktake.review.models import Pledge
from stocktake.review.services.mapping import publish, submit_capacity
from stocktake.review.services.pledges import (
    PledgeFilter,
    confirm_pledge,
    list_pledges,
    pledge_dashboard,
    pledges_answering,
    pledges_by_objective,
    publish_pledge,
    submit_pledge,
    update_pledge_status,
)
from tests.conftest import csrf_of
from tests.factories.accounts import account, member_of, signed_in, user
from tests.factories.review import PLEDGE_TEXT, frame, pledge_data

TEXT = PLEDGE_TEXT


@pytest.fixture(autouse=True)
def _frame(bare_session: Session) -> None:
    """Pledges name the objectives and actions of the GCM's frame of follow-up."""
    frame(bare_session)


def test_a_delegation_pledges_for_itself_and_the_secretariat_publishes(
    bare_session: Session,
) -> None:
    process = get_process(bare_session)
    mexico = member_of(bare_session, "MEX")
    pledge = submit_pledge(bare_session, process, pledge_data(), by=mexico)
    assert not pledge.is_published
    public = Principal.public()
    assert pledge not in list_pledges(bare_session, process, by=public)
    assert pledge in list_pledges(bare_session, process, by=mexico)
    assert pledge not in list_pledges(bare_session, process, by=member_of(bare_session, "PHL"))
    publish_pledge(bare_session, pledge, by=user(bare_session, Role.SECRETARIAT))
    assert pledge in list_pledges(bare_session, process, by=public)
    with pytest.raises(PermissionDenied):
        publish_pledge(bare_session, pledge, by=mexico)


def test_an_actor_pledges_and_reports_only_for_itself(bare_session: Session) -> None:
    process = get_process(bare_session)
    philippines = member_of(bare_session, "PHL")
    with pytest.raises(PermissionDenied):
        submit_pledge(bare_session, process, pledge_data(actor="MEX"), by=philippines)
    pledge = submit_pledge(bare_session, process, pledge_data(), by=member_of(bare_session, "MEX"))
    with pytest.raises(PermissionDenied, match="only for itself"):
        update_pledge_status(bare_session, pledge, status="completed", by=philippines)


def test_status_updates_keep_their_history(bare_session: Session) -> None:
    mexico = member_of(bare_session, "MEX")
    pledge = submit_pledge(bare_session, get_process(bare_session), pledge_data(), by=mexico)
    update_pledge_status(bare_session, pledge, status="in_progress", note="Started", by=mexico)
    update_pledge_status(bare_session, pledge, status="completed", note="Done", by=mexico)
    assert pledge.status == "completed"
    assert [(u.status, u.note) for u in pledge.updates] == [
        ("planned", "Pledge submitted"),
        ("in_progress", "Started"),
        ("completed", "Done"),
    ]
    with pytest.raises(ValidationFailed, match="status"):
        update_pledge_status(bare_session, pledge, status="forgotten", by=mexico)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"actor": ""}, "actor", "name the State or organisation making the pledge"),
        ({"description": "Too short."}, "description", "has 10 characters"),
        ({"objectives": [24]}, "objectives", "objective 24 does not exist"),
        ({"objectives": []}, "objectives", "name at least one objective"),
        ({"actions": ["6(zz)"]}, "actions", "the frame lists no actions for objective 6"),
        ({"kind": "moral"}, "kind", "'moral' is not one of"),
        ({"start_year": 2030, "end_year": 2020}, "end_year", "must run forward"),
        ({"mode": "joint"}, "partners", "names its partners"),
        ({"mode": "matching", "matches": 999999}, "matches", "no published pledge 999999"),
    ],
)
def test_bad_pledges_are_refused_naming_the_field(
    bare_session: Session, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        submit_pledge(
            bare_session, get_process(bare_session), pledge_data(**changes), by=Principal.system()
        )
    assert any(p.where == field and message in p.message for p in caught.value.problems)


def test_joint_and_matching_pledges_and_filters(bare_session: Session) -> None:
    process = get_process(bare_session)
    system = Principal.system()
    joint = submit_pledge(
        bare_session,
        process,
        pledge_data(mode="joint", partners=["PHL", "KEN"], kind="financial"),
        by=system,
    )
    assert sorted(a.code for a in joint.partners) == ["KEN", "PHL"]
    publish_pledge(bare_session, joint, by=system)
    matching = submit_pledge(
        bare_session,
        process,
        pledge_data(actor="KEN", mode="matching", matches=joint.id),
        by=system,
    )
    assert matching.matches is joint
    found = list_pledges(
        bare_session, process, PledgeFilter(objective=6, kind="financial"), by=system
    )
    assert joint in found
    assert matching not in found
    assert all(6 in [o.number for o in p.objectives] for p in found)


def test_the_api_submits_for_the_callers_own_actor(
    bare_client: TestClient, bare_session: Session
) -> None:
    mexico = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    headers = {
        "Authorization": f"Bearer {issue_token(bare_session, mexico, by=principal_for(mexico))}"
    }
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
    created = bare_client.post("/api/v1/review/pledges", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["actor"] == "MEX"
    refused = bare_client.post(
        "/api/v1/review/pledges", json={**body, "objectives": [99]}, headers=headers
    )
    assert refused.status_code == 422
    assert "objective 99 does not exist" in refused.text
    other = bare_client.post(
        "/api/v1/review/pledges", json={**body, "actor": "PHL"}, headers=headers
    )
    assert other.status_code == 403


def test_a_pledge_states_its_amount_in_an_iso_4217_currency(
    bare_client: TestClient, bare_session: Session
) -> None:
    mexico = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    headers = {
        "Authorization": f"Bearer {issue_token(bare_session, mexico, by=principal_for(mexico))}"
    }
    body = {
        "title": "Remittance corridor fund",
        "description": TEXT,
        "kind": "financial",
        "level": "national",
        "objectives": [20],
        "start_year": 2025,
        "end_year": 2028,
        "amount": "250000",
        "currency": "usd",
    }
    created = bare_client.post("/api/v1/review/pledges", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert (created.json()["amount"], created.json()["currency"]) == ("250000.00", "USD")
    assert (created.json()["start_year"], created.json()["end_year"]) == (2025, 2028)
    for changes, where, message in (
        ({"currency": "XYZ"}, "currency", "'XYZ' is not an ISO 4217 currency code"),
        ({"currency": ""}, "currency", "an amount names its currency"),
        ({"amount": None}, "amount", "a currency comes with an amount"),
        ({"amount": "-5"}, "amount", "must be more than 0"),
        ({"amount": "10.005"}, "amount", "has more than two decimal places"),
    ):
        refused = bare_client.post(
            "/api/v1/review/pledges", json={**body, **changes}, headers=headers
        )
        assert refused.status_code == 422, changes
        problems = refused.json()["problems"]
        assert any(p["where"] == where and message in p["message"] for p in problems), problems
    signed_in(bare_client, mexico)
    form = bare_client.get("/review/pledges/new")
    assert 'name="currency"' in form.text
    fields = {
        "csrf": csrf_of(bare_client, "/review/pledges/new"),
        "title": "Inspectors for the southern border",
        "description": TEXT,
        "kind": "financial",
        "level": "national",
        "objectives": ["6"],
        "start_year": "2025",
        "end_year": "2027",
        "amount": "1,500,000.50",
        "currency": "EUR",
    }
    page = bare_client.post("/review/pledges/new", data=fields)
    assert page.status_code == 200
    assert str(page.url).rsplit("/", 1)[-1].isdigit()
    assert '1,500,000.50 <abbr title="Euro">EUR</abbr>' in page.text
    assert "2025–2027" in page.text
    wrong = bare_client.post("/review/pledges/new", data={**fields, "amount": "a lot"})
    assert wrong.status_code == 422
    assert "amount: &#39;a lot&#39; cannot be read as a number: write it as 1,250,000.50" in (
        wrong.text
    )
    assert "a currency comes with an amount" not in wrong.text
    negative = bare_client.post("/review/pledges/new", data={**fields, "amount": "-5"})
    assert "amount: must be more than 0" in negative.text


def test_each_partner_confirms_a_joint_pledge(
    bare_client: TestClient, bare_session: Session
) -> None:
    mexico = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    philippines = account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL")
    kenya = account(bare_session, Role.DELEGATION_MEMBER, actor_code="KEN")
    canada = account(bare_session, Role.DELEGATION_MEMBER, actor_code="CAN")

    def bearer(user: User) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {issue_token(bare_session, user, by=principal_for(user))}"
        }

    body = {
        "title": "A joint labour mobility partnership",
        "description": TEXT,
        "kind": "process",
        "level": "regional",
        "objectives": [6],
        "start_year": 2025,
        "end_year": 2029,
        "mode": "joint",
        "partners": ["PHL", "KEN"],
    }
    created = bare_client.post("/api/v1/review/pledges", json=body, headers=bearer(mexico))
    assert created.status_code == 201, created.text
    pledge = created.json()["id"]
    assert created.json()["confirmations"] == []
    # a partner reads the unpublished pledge it is party to, and confirms it once
    listed = bare_client.get("/api/v1/review/pledges", headers=bearer(philippines)).json()
    assert pledge in [p["id"] for p in listed]
    confirmed = bare_client.post(
        f"/api/v1/review/pledges/{pledge}/confirm", headers=bearer(philippines)
    )
    assert confirmed.status_code == 200, confirmed.text
    assert [c["actor"] for c in confirmed.json()["confirmations"]] == ["PHL"]
    again = bare_client.post(
        f"/api/v1/review/pledges/{pledge}/confirm", headers=bearer(philippines)
    )
    assert again.status_code == 409
    # the pledging actor is no partner of its own pledge; another actor does not see it at all
    own = bare_client.post(f"/api/v1/review/pledges/{pledge}/confirm", headers=bearer(mexico))
    assert own.status_code == 403
    assert "only a partner of a joint pledge confirms it" in own.text
    stranger = bare_client.post(f"/api/v1/review/pledges/{pledge}/confirm", headers=bearer(canada))
    assert stranger.status_code == 404
    found = bare_session.get(Pledge, pledge)
    assert found is not None
    publish_pledge(bare_session, found, by=Principal.system())
    stranger = bare_client.post(f"/api/v1/review/pledges/{pledge}/confirm", headers=bearer(canada))
    assert stranger.status_code == 403
    # on the page: who has confirmed, and the button for a partner that has not
    signed_in(bare_client, kenya)
    page = bare_client.get(f"/review/pledges/{pledge}")
    assert "Philippines: confirmed on" in page.text
    assert "Kenya: not yet confirmed" in page.text
    assert "Confirm as a partner" in page.text
    done = bare_client.post(
        f"/review/pledges/{pledge}/confirm",
        data={"csrf": csrf_of(bare_client, f"/review/pledges/{pledge}")},
    )
    assert done.status_code == 200
    assert "Kenya: confirmed on" in done.text
    assert "Confirm as a partner" not in done.text
    events = bare_session.scalars(
        select(AuditEvent.summary).where(AuditEvent.action == AuditAction.PLEDGE_CONFIRMED.value)
    ).all()
    assert sorted(events) == [
        "KEN confirms: A joint labour mobility partnership",
        "PHL confirms: A joint labour mobility partnership",
    ]


def _published_need(session: Session, actor: str = "PHL", objective: int = 20) -> int:
    item = submit_capacity(
        session,
        get_process(session),
        direction="need",
        actor=actor,
        objective=objective,
        kind="training",
        description="Training for regulators on supervising digital remittance providers.",
        by=Principal.system(),
    )
    publish(session, item, by=Principal.system())
    return item.id


def test_a_pledge_answers_a_published_capacity_need_of_another_actor(
    bare_session: Session,
) -> None:
    process = get_process(bare_session)
    need = _published_need(bare_session)
    mexico = member_of(bare_session, "MEX")
    pledge = submit_pledge(
        bare_session, process, pledge_data(objectives=[20], answers=need), by=mexico
    )
    assert pledge.answers is not None
    assert pledge.answers.id == need
    assert pledges_answering(bare_session, process, by=mexico) == {need: [pledge]}
    assert pledges_answering(bare_session, process, by=Principal.public()) == {}  # unpublished
    offer = submit_capacity(
        bare_session,
        process,
        direction="offer",
        actor="KEN",
        objective=20,
        kind="training",
        description="Courses for regulators on digital remittance providers, twice a year.",
        by=Principal.system(),
    )
    publish(bare_session, offer, by=Principal.system())
    unpublished = submit_capacity(
        bare_session,
        process,
        direction="need",
        actor="KEN",
        objective=20,
        kind="training",
        description="Training for regulators on supervising digital remittance providers.",
        by=Principal.system(),
    )
    for changes, message in (
        ({"answers": 999999}, "no published capacity need 999999"),
        ({"answers": offer.id}, f"no published capacity need {offer.id}"),
        ({"answers": unpublished.id}, f"no published capacity need {unpublished.id}"),
        ({"answers": need, "actor": "PHL"}, "a pledge answers another actor's need"),
        (
            {"answers": need, "objectives": [6]},
            f"capacity need {need} is for objective 20; the pledge names objective(s) 6",
        ),
    ):
        with pytest.raises(ValidationFailed) as caught:
            submit_pledge(
                bare_session,
                process,
                pledge_data(**{"objectives": [20], **changes}),
                by=Principal.system(),
            )
        problems = caught.value.problems
        assert any(p.where == "answers" and message in p.message for p in problems), problems


def test_the_need_shows_the_pledges_answering_it_and_the_match_page_counts_them(
    bare_client: TestClient, bare_session: Session
) -> None:
    need = _published_need(bare_session)
    mexico = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    signed_in(bare_client, mexico)
    form = bare_client.get(f"/review/pledges/new?answers={need}&objective=20")
    assert f'<option value="{need}" selected>Need {need}: Philippines' in form.text
    fields = {
        "csrf": csrf_of(bare_client, "/review/pledges/new"),
        "title": "Courses for remittance regulators",
        "description": TEXT,
        "kind": "human_resources",
        "level": "regional",
        "objectives": ["20"],
        "start_year": "2025",
        "end_year": "2026",
        "answers": str(need),
    }
    made = bare_client.post("/review/pledges/new", data=fields)
    assert made.status_code == 200
    assert "Your pledge is submitted" in made.text
    assert f"Capacity need {need}</a>: Philippines, objective 20, Training" in made.text
    pledge = int(str(made.url).rsplit("/", 1)[-1])
    wrong = bare_client.post("/review/pledges/new", data={**fields, "objectives": ["6"]})
    assert wrong.status_code == 422
    assert f"answers: capacity need {need} is for objective 20" in wrong.text
    found = bare_session.get(Pledge, pledge)
    assert found is not None
    publish_pledge(bare_session, found, by=Principal.system())
    page = bare_client.get("/review/capacity")
    assert f'id="need-{need}"' in page.text
    assert f'<a href="/review/pledges/{pledge}">Courses for remittance regulators</a>' in page.text
    assert "<strong>0</strong> of 1 published needs matched with offers" in page.text
    assert "<strong>1</strong> answered by pledges" in page.text
    api = bare_client.get("/api/v1/review/capacity").json()
    assert [(c["id"], c["answered_by"]) for c in api] == [(need, [pledge])]
    answering = bare_client.get("/api/v1/review/pledges", params={"answers": need}).json()
    assert [(p["id"], p["answers"]) for p in answering] == [(pledge, need)]


def test_only_its_partners_read_an_unpublished_joint_pledge(
    bare_client: TestClient, bare_session: Session
) -> None:
    """A partner must read the pledge to confirm it; no other actor, and not the public, may."""
    pledge = submit_pledge(
        bare_session,
        get_process(bare_session),
        pledge_data(mode="joint", partners=["PHL"]),
        by=member_of(bare_session, "MEX"),
    )
    process = get_process(bare_session)
    assert pledge in list_pledges(bare_session, process, by=member_of(bare_session, "PHL"))
    for outsider in (member_of(bare_session, "CAN"), Principal.public()):
        assert pledge not in list_pledges(bare_session, process, by=outsider)
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="PHL"))
    assert bare_client.get(f"/review/pledges/{pledge.id}").status_code == 200
    # the partner reads and confirms it, but reports on it only through the pledging actor
    status = bare_client.post(
        f"/review/pledges/{pledge.id}/status",
        data={
            "csrf": csrf_of(bare_client, f"/review/pledges/{pledge.id}"),
            "status": "completed",
        },
    )
    assert status.status_code == 403
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="CAN"))
    assert bare_client.get(f"/review/pledges/{pledge.id}").status_code == 404
    assert bare_client.get(f"/api/v1/review/pledges/{pledge.id}").status_code == 404
    listed = bare_client.get("/api/v1/review/pledges").json()
    assert pledge.id not in [p["id"] for p in listed]


def test_the_overview_counts_by_objective_the_pledges_each_reader_may_read(
    bare_session: Session,
) -> None:
    """Counted by the database, as the pledges page counts the pledges it lists: an unpublished
    joint pledge counts for its actor, its partners and the secretariat, not for others."""
    process = get_process(bare_session)
    mexico = member_of(bare_session, "MEX")
    published = submit_pledge(bare_session, process, pledge_data(objectives=[6, 10]), by=mexico)
    publish_pledge(bare_session, published, by=Principal.system())
    submit_pledge(
        bare_session,
        process,
        pledge_data(mode="joint", partners=["PHL"], objectives=[6]),
        by=mexico,
    )
    readers = [
        mexico,
        member_of(bare_session, "PHL"),
        member_of(bare_session, "CAN"),
        Principal.public(),
        Principal.system(),
    ]
    counts = [pledges_by_objective(bare_session, process, by=r) for r in readers]
    assert counts == [
        pledge_dashboard(list_pledges(bare_session, process, by=r)).by_objective for r in readers
    ]
    assert counts[0] == {"Objective 6": 2, "Objective 10": 1}
    assert counts[2] == counts[3] == {"Objective 6": 1, "Objective 10": 1}


def test_the_secretariat_records_a_partners_confirmation_on_its_behalf(
    bare_client: TestClient, bare_session: Session
) -> None:
    pledge = submit_pledge(
        bare_session,
        get_process(bare_session),
        pledge_data(mode="joint", partners=["PHL", "KEN"]),
        by=member_of(bare_session, "MEX"),
    )
    with pytest.raises(PermissionDenied):
        confirm_pledge(
            bare_session, pledge, partner="KEN", note="by letter", by=member_of(bare_session, "PHL")
        )
    secretariat = account(bare_session, Role.SECRETARIAT)
    headers = {
        "Authorization": f"Bearer {issue_token(bare_session, secretariat, by=principal_for(secretariat))}"
    }
    url = f"/api/v1/review/pledges/{pledge.id}/confirm"
    for body, message in (
        ({"partner": "CAN", "note": "by letter"}, "'CAN' is not a partner of this pledge"),
        ({"partner": "PHL"}, "say how the confirmation came"),
    ):
        refused = bare_client.post(url, json=body, headers=headers)
        assert refused.status_code == 422
        assert message in refused.text
    alone = bare_client.post(url, headers=headers)
    assert alone.status_code == 403  # the secretariat is no partner: it names one
    recorded = bare_client.post(
        url, json={"partner": "PHL", "note": "by letter of 3 March 2026"}, headers=headers
    )
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["confirmations"] == [
        {
            "actor": "PHL",
            "confirmed_at": recorded.json()["confirmations"][0]["confirmed_at"],
            "on_behalf": True,
            "note": "by letter of 3 March 2026",
        }
    ]
    assert (
        bare_client.post(url, json={"partner": "PHL", "note": "again"}, headers=headers).status_code
        == 409
    )
    event = bare_session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.PLEDGE_CONFIRMATION_RECORDED.value
        )
    ).one()
    assert event.changes == {
        "partner": "PHL",
        "on_behalf": True,
        "note": "by letter of 3 March 2026",
    }
    assert "PHL's confirmation recorded on its behalf (by letter of 3 March 2026)" in event.summary
    signed_in(bare_client, secretariat)
    page = bare_client.get(f"/review/pledges/{pledge.id}")
    assert "(recorded by the secretariat: by letter of 3 March 2026)" in page.text
    assert "Record a partner's confirmation" in page.text
    assert '<option value="KEN">Kenya</option>' in page.text
    assert '<option value="PHL">' not in page.text
    done = bare_client.post(
        f"/review/pledges/{pledge.id}/confirm",
        data={
            "csrf": csrf_of(bare_client, f"/review/pledges/{pledge.id}"),
            "partner": "KEN",
            "note": "by note verbale",
        },
    )
    assert done.status_code == 200
    assert "Kenya&#39;s confirmation is recorded on its behalf." in done.text
    assert "Record a partner's confirmation" not in done.text
