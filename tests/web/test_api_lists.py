"""API lists: unknown filter values are refused by name, per_page up to its maximum, the total and
a link to the next page in every list."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.core.permissions import Role
from stocktake.process.services import get_process
from stocktake.web.paging import MAX_PER_PAGE
from tests.factories.accounts import account
from tests.factories.consultation import submitted


def _secretariat(client: TestClient, session: Session) -> dict[str, str]:
    user = account(session, Role.SECRETARIAT)
    return {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}


def _published(session: Session) -> None:
    """Published inputs of African states and of others, more than a page of seven of each."""
    process = get_process(session)
    for number in range(24):
        submitted(
            session,
            process,
            f"Published input number {number} on decent work for migrants.",
            submitter=("KEN", "GHA", "MEX")[number % 3],
            status="published",
        )


def test_unknown_filter_values_are_refused_naming_the_parameter(bare_client: TestClient) -> None:
    response = bare_client.get("/api/v1/inputs", params={"status": "bogus", "region": "africa"})
    assert response.status_code == 422
    problems = {p["where"]: p["message"] for p in response.json()["problems"]}
    assert set(problems) == {"status", "region"}
    assert "unknown value 'bogus'" in problems["status"]
    assert "draft, submitted, published, withdrawn" in problems["status"]
    assert "Africa" in problems["region"]
    assert bare_client.get("/api/v1/inputs", params={"region": "Africa"}).status_code == 200
    for params in ({"dimension": "moon"}, {"meeting": "nowhere"}, {"regional_group": "x"}):
        refused = bare_client.get("/api/v1/inputs", params=params)
        assert refused.status_code == 422
        assert refused.json()["problems"][0]["where"] == next(iter(params))
    assert bare_client.get("/api/v1/inputs/export", params={"status": "bogus"}).status_code == 422
    actors = bare_client.get("/api/v1/actors", params={"kind": "planet"})
    assert actors.status_code == 422
    assert "member_state" in actors.json()["problems"][0]["message"]


def test_per_page_total_and_next_link(bare_client: TestClient, bare_session: Session) -> None:
    _published(bare_session)
    first = bare_client.get("/api/v1/inputs", params={"per_page": 7, "region": "Africa"}).json()
    assert len(first["items"]) == 7
    assert first["per_page"] == 7
    assert first["total"] > 7
    assert first["pages"] == -(-first["total"] // 7)
    assert "page=2" in first["next"]
    assert "region=Africa" in first["next"]
    assert "per_page=7" in first["next"]
    second = bare_client.get(first["next"]).json()
    assert second["page"] == 2
    assert {i["id"] for i in second["items"]}.isdisjoint({i["id"] for i in first["items"]})
    last = bare_client.get(
        "/api/v1/inputs", params={"per_page": 7, "region": "Africa", "page": first["pages"]}
    ).json()
    assert last["next"] is None
    assert bare_client.get("/api/v1/inputs", params={"per_page": MAX_PER_PAGE}).status_code == 200
    too_many = bare_client.get("/api/v1/inputs", params={"per_page": MAX_PER_PAGE + 1})
    assert too_many.status_code == 422
    assert too_many.json()["problems"][0]["where"] == "query.per_page"
    actors = bare_client.get("/api/v1/actors", params={"per_page": 3}).json()
    assert (len(actors["items"]), actors["per_page"]) == (3, 3)
    assert "page=2" in actors["next"]
    audit = bare_client.get(
        "/api/v1/audit", params={"per_page": 2}, headers=_secretariat(bare_client, bare_session)
    ).json()
    assert len(audit["items"]) == 2
    assert audit["total"] > 2
    assert "page=2" in audit["next"]
    bogus = bare_client.get(
        "/api/v1/audit", params={"action": "bogus"}, headers=_secretariat(bare_client, bare_session)
    )
    assert bogus.status_code == 422
    assert "consultation:input:publish" in bogus.json()["problems"][0]["message"]


def test_registrations_come_a_page_at_a_time_with_total_and_next(
    client: TestClient, session: Session
) -> None:
    user = get_user(session, "secretariat@gcm.example")
    headers = {"Authorization": f"Bearer {issue_token(session, user, by=principal_for(user))}"}
    url = "/api/v1/meetings/puerto-vallarta-2017/registrations"
    first = client.get(url, params={"per_page": 100}, headers=headers).json()
    assert len(first["items"]) == 100
    assert first["total"] > 100
    assert first["pages"] == -(-first["total"] // 100)
    assert first["next"].endswith("page=2") or "page=2" in first["next"]
    last = client.get(url, params={"per_page": 100, "page": first["pages"]}, headers=headers)
    assert last.json()["next"] is None
    assert len(last.json()["items"]) == first["total"] - 100 * (first["pages"] - 1)
    seen = {r["id"] for r in first["items"]} & {r["id"] for r in last.json()["items"]}
    assert not seen
    assert (
        client.get(url, params={"per_page": MAX_PER_PAGE + 1}, headers=headers).status_code == 422
    )
