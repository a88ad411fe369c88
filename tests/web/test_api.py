from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.core.permissions import Role
from tests.factories.accounts import PASSWORD, account


def test_lists_are_paginated_and_filtered(bare_client: TestClient) -> None:
    first = bare_client.get("/api/v1/actors", params={"kind": "member_state"}).json()
    assert first["total"] == 193
    assert first["pages"] == 4
    assert len(first["items"]) == 50
    last = bare_client.get("/api/v1/actors", params={"kind": "member_state", "page": 4}).json()
    assert len(last["items"]) == 43
    grulac = bare_client.get(
        "/api/v1/actors", params={"regional_group": "grulac", "kind": "member_state"}
    ).json()
    assert grulac["total"] == 33


def test_an_actor_lists_its_groups(bare_client: TestClient) -> None:
    france = bare_client.get("/api/v1/actors/FRA").json()
    assert france["m49_code"] == "250"
    assert set(france["groups"]) >= {"EU", "RG-WEOG"}


def test_participation_figures_over_the_api(client: TestClient) -> None:
    figures = client.get("/api/v1/meetings/puerto-vallarta-2017/participation").json()
    assert (figures["delegations"], figures["participants"], figures["stakeholders"]) == (
        136,
        897,
        115,
    )
    assert figures["by_kind"]["member_state"]["actors"] == 136


def test_missing_things_get_404_and_malformed_requests_422_naming_the_field(
    bare_client: TestClient, bare_session: Session
) -> None:
    secretariat = account(bare_session, Role.SECRETARIAT)
    missing = bare_client.get("/api/v1/meetings/nowhere")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "meeting 'nowhere' does not exist"}
    assert bare_client.get("/api/v1/actors/NOPE").status_code == 404
    bad_page = bare_client.get("/api/v1/actors", params={"page": 0})
    assert bad_page.status_code == 422
    assert bad_page.json()["problems"][0]["where"] == "query.page"
    token = bare_client.post(
        "/api/v1/tokens", json={"email": secretariat.email, "password": PASSWORD}
    )
    assert token.status_code == 201
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    bad = bare_client.post(
        "/api/v1/meetings",
        json={
            "slug": "x",
            "title": "X",
            "meeting_type": "review_forum",
            "start_date": "2024-13-01",
            "end_date": "2024-01-01",
        },
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["where"] == "body.start_date"
    refused = bare_client.post(
        "/api/v1/meetings",
        json={
            "slug": "x",
            "title": "X",
            "meeting_type": "picnic",
            "start_date": "2024-01-02",
            "end_date": "2024-01-01",
        },
        headers=headers,
    )
    assert refused.status_code == 422
    assert {p["where"] for p in refused.json()["problems"]} == {"meeting_type", "end_date"}
    unknown_field = bare_client.post(
        "/api/v1/actors", json={"code": "A", "name": "A", "colour": "red"}, headers=headers
    )
    assert unknown_field.status_code == 422
    assert unknown_field.json()["problems"][0]["where"] == "body.colour"
    duplicate = bare_client.post(
        "/api/v1/actors",
        json={"code": "MEX", "name": "Again", "category": "media"},
        headers=headers,
    )
    assert duplicate.status_code == 409


def test_tokens_are_issued_for_the_right_password_only(
    bare_client: TestClient, bare_session: Session
) -> None:
    mexico = account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX")
    wrong = bare_client.post(
        "/api/v1/tokens", json={"email": mexico.email, "password": "wrong-password"}
    )
    assert wrong.status_code == 401
    good = bare_client.post("/api/v1/tokens", json={"email": mexico.email, "password": PASSWORD})
    me = bare_client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {good.json()['token']}"}
    ).json()
    assert me["role"] == "delegation_member"
    assert me["email"] == mexico.email


def test_openapi_and_offline_docs(bare_client: TestClient) -> None:
    schema = bare_client.get("/api/v1/openapi.json").json()
    assert "/api/v1/meetings/{slug}/participation" in schema["paths"]
    assert not any(path.startswith("/meetings") for path in schema["paths"])  # pages stay out
    docs = bare_client.get("/api/docs").text
    assert "/static/api-docs/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()
    assert bare_client.get("/static/api-docs/swagger-ui-bundle.js").status_code == 200
