"""A State's delegation reports its own country's indicator data (the secretariat: any country's):
who may report for which country, the file taken whole or refused whole with each row and field
named, one country's data replaced and no other's, the page, the API and the audit log."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.accounts.services import get_user, issue_token, principal_for
from stocktake.audit.events import AuditAction
from stocktake.audit.models import AuditEvent
from stocktake.cli import app
from stocktake.config import Settings
from stocktake.core.errors import PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.review.models import Indicator, Observation
from stocktake.review.opensdg import read_data_file
from stocktake.review.services.indicators import assess_progress, places_with_data
from stocktake.review.services.indicators.reporting import read_report, report_observations
from tests.conftest import csrf_of
from tests.databases import OPENSDG_UK
from tests.factories.accounts import member_of, user

MEXICO = "mexico@gcm.example"
PHILIPPINES = "philippines@gcm.example"
STAKEHOLDER = "stakeholder@gcm.example"
SECRETARIAT = "secretariat@gcm.example"
GOOD = b"Year,Sex,Value\n2016,,7.9\n2017,,7.4\n2018,Female,7.2\n2018,,7.1\n"
PAGE = "/review/indicators/report"
API = "/api/v1/review/indicators/10.c.1/observations"


def _stored(session: Session, country: str, code: str = "10-c-1") -> list[tuple[str, float]]:
    query = (
        select(Observation.period, Observation.value)
        .join(Indicator)
        .where(Indicator.code == code, Observation.geography == country)
        .order_by(Observation.id)
    )
    return [(period, value) for period, value in session.execute(query)]


def _everything(session: Session) -> list[tuple[object, ...]]:
    query = select(
        Observation.indicator_id, Observation.geography, Observation.period, Observation.value
    ).order_by(Observation.id)
    return [tuple(row) for row in session.execute(query)]


def _post_page(
    client: TestClient, content: bytes, *, indicator: str = "10.c.1", country: str = ""
) -> object:
    return client.post(
        PAGE,
        data={"csrf": csrf_of(client, PAGE), "indicator": indicator, "country": country},
        files={"file": ("indicator_10-c-1.csv", content, "text/csv")},
        follow_redirects=False,
    )


def _token(session: Session, email: str) -> dict[str, str]:
    found = get_user(session, email)
    return {"Authorization": f"Bearer {issue_token(session, found, by=principal_for(found))}"}


def test_mexico_reports_its_own_data_on_the_page(
    signed_in: Callable[[str], TestClient], session: Session
) -> None:
    client = signed_in(MEXICO)
    assert "MEX" not in places_with_data(session)
    uk_before = _stored(session, "GBR")
    indicators = client.get("/review/indicators")
    assert 'href="/review/indicators/report"' in indicators.text
    form = client.get(PAGE)
    assert form.status_code == 200
    assert 'name="country"' not in form.text  # a delegation reports for its own country only
    assert "for Mexico" in form.text
    response = _post_page(client, GOOD)
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == "/review/indicators?country=MEX"
    shown = client.get(response.headers["location"])
    assert "4 observations of 10.c.1 for Mexico stored." in shown.text
    assert '<option value="MEX" selected>Mexico</option>' in shown.text
    assert _stored(session, "MEX") == [("2016", 7.9), ("2017", 7.4), ("2018", 7.2), ("2018", 7.1)]
    assert _stored(session, "GBR") == uk_before
    assert [r.country for r in assess_progress(session, countries=["MEX"])] == ["MEX"]
    event = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == AuditAction.INDICATORS_IMPORTED.value)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert event is not None
    assert event.user_label == MEXICO
    assert event.changes["geography"] == "MEX"
    assert event.changes["observations"] == 4
    assert event.changes["replaced"] == 0


def test_a_new_report_replaces_that_countrys_observations_and_no_others(
    signed_in: Callable[[str], TestClient], session: Session
) -> None:
    secretariat = user(session, Role.SECRETARIAT)
    report_observations(session, "10.c.1", GOOD, by=secretariat, country="PHL")
    philippines = _stored(session, "PHL")
    uk = _stored(session, "GBR")
    client = signed_in(MEXICO)
    assert _post_page(client, GOOD).status_code == 303
    again = _post_page(client, b"Year,Value\n2019,6.5\n2020,6.1\n")
    assert again.status_code == 303
    shown = client.get(again.headers["location"]).text
    assert "2 observations of 10.c.1 for Mexico stored." in shown
    assert "The 4 observations stored before were replaced." in shown
    assert _stored(session, "MEX") == [("2019", 6.5), ("2020", 6.1)]
    assert _stored(session, "PHL") == philippines
    assert _stored(session, "GBR") == uk


def test_another_delegation_may_not_report_for_mexico(
    signed_in: Callable[[str], TestClient], session: Session
) -> None:
    before = _everything(session)
    client = signed_in(PHILIPPINES)
    page = _post_page(client, GOOD, country="MEX")
    assert page.status_code == 403
    api = client.post(
        API,
        data={"country": "Mexico"},
        files={"file": ("data.csv", GOOD, "text/csv")},
        headers=_token(session, PHILIPPINES),
    )
    assert api.status_code == 403
    assert set(api.json()) == {"detail"}
    assert _everything(session) == before
    # naming its own country, by name or code, is the same as naming none
    own = client.post(
        API,
        data={"country": "PHL"},
        files={"file": ("data.csv", GOOD, "text/csv")},
        headers=_token(session, PHILIPPINES),
    )
    assert own.status_code == 201
    assert own.json()["country"] == "PHL"


def test_stakeholders_the_public_and_delegations_of_no_state_are_refused(
    client: TestClient, session: Session
) -> None:
    before = _everything(session)
    public = client.get(PAGE, follow_redirects=False)
    assert public.status_code == 303
    assert public.headers["location"].startswith("/login?next=")
    anonymous = client.post(API, files={"file": ("data.csv", GOOD, "text/csv")})
    assert anonymous.status_code in {401, 403}
    stakeholder = client.post(
        API, files={"file": ("data.csv", GOOD, "text/csv")}, headers=_token(session, STAKEHOLDER)
    )
    assert stakeholder.status_code == 403
    with pytest.raises(PermissionDenied):
        report_observations(session, "10.c.1", GOOD, by=Principal.public())
    with pytest.raises(PermissionDenied):
        report_observations(
            session, "10.c.1", GOOD, by=member_of(session, "CSO-KEN-001", Role.STAKEHOLDER)
        )
    # a delegation whose actor is no State (an intergovernmental organisation) has no country
    with pytest.raises(PermissionDenied):
        report_observations(session, "10.c.1", GOOD, by=member_of(session, "IOM"))
    assert _everything(session) == before


def test_the_secretariat_reports_for_any_country_it_names(
    client: TestClient, session: Session
) -> None:
    headers = _token(session, SECRETARIAT)
    files = {"file": ("data.csv", GOOD, "text/csv")}
    response = client.post(API, data={"country": "Brazil"}, files=files, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json() == {
        "indicator": "10-c-1",
        "sdg_code": "10.c.1",
        "country": "BRA",
        "stored": 4,
        "replaced": 0,
        "blank": 0,
    }
    unnamed = client.post(API, files=files, headers=headers)
    assert unnamed.status_code == 422
    assert unnamed.json()["problems"][0]["where"] == "country"
    unknown = client.post(API, data={"country": "Atlantis"}, files=files, headers=headers)
    assert unknown.status_code == 422


def test_the_secretariat_chooses_the_country_on_the_page(
    signed_in: Callable[[str], TestClient], session: Session
) -> None:
    client = signed_in(SECRETARIAT)
    form = client.get(PAGE)
    assert '<select id="country" name="country" required>' in form.text
    assert '<option value="KEN" >Kenya</option>' in form.text
    refused = _post_page(client, GOOD)  # no country chosen: the form again, saying so
    assert refused.status_code == 422
    assert 'value="10-c-1" selected' in refused.text
    done = _post_page(client, GOOD, country="KEN")
    assert done.status_code == 303
    assert "4 observations of 10.c.1 for Kenya stored." in client.get(done.headers["location"]).text


BAD = [
    (b"Year,Value\n2016,7.9\n2017,seven\n", "row 3, field Value"),
    (b"Year,Value\n2016,7.9\n,7.4\n", "row 3, field Year"),
    (b"Year,Value\n1850,7.9\n", "row 2, field Year"),
    (b"Year,Value\n3016,7.9\n", "row 2, field Year"),
    (b"Year,Value\n2016,7\x009\n", "row 2, field Value"),
    (b"Year,Value\n2016,1e999\n", "row 2, field Value"),
    (b"Year,Value\n2016," + b"9" * 400 + b"\n", "row 2, field Value"),
    (b"Year,Value\n2016,inf\n", "row 2, field Value"),
    (b"Year,Sex,Value\n2016,\xed\xa0\x80,7.9\n", "row 2, field Sex"),  # a lone surrogate
    (b"Year,Sex,Value\n2016,M\xe4nner,7.9\n", "row 2, field Sex"),  # not UTF-8
    (b"Year,Value\n2016,7.9\n2016,8.0\n", "row 3"),  # the same year twice
    (b"Year,Value\n2016,7.9,1\n", "row 2"),  # more fields than the header
    (b"Jahr,Wert\n2016,7.9\n", "row 1"),  # wrong columns
    (b"Year,Value\n2016,\n", ""),  # no observation at all
    (b"   \n", ""),  # empty
    (b"Year,Units,Value\n2016," + b"u" * 300 + b",7.9\n", "row 2, field Units"),
    (b"Year,Sex,Value\n2016," + b"x" * 200_000 + b",7.9\n", "row 2"),  # a cell csv refuses
]


@pytest.mark.parametrize(("content", "where"), BAD, ids=[str(n) for n in range(len(BAD))])
def test_a_bad_file_is_refused_whole_naming_the_row_and_field(
    session: Session, content: bytes, where: str
) -> None:
    mexico = member_of(session, "MEX")
    report_observations(session, "10.c.1", GOOD, by=mexico)
    before = _everything(session)
    with pytest.raises(ValidationFailed) as refused:
        report_observations(session, "10.c.1", content, by=mexico)
    assert any(p.where.startswith(where) for p in refused.value.problems), refused.value.problems
    assert _everything(session) == before


def test_the_page_lists_the_problems_and_keeps_the_choices(
    signed_in: Callable[[str], TestClient], session: Session
) -> None:
    client = signed_in(MEXICO)
    assert _post_page(client, GOOD).status_code == 303
    before = _everything(session)
    bad = b"Year,Value\n2016,7.9\n2017,n/a?\n2018,\n2019,1e999\n"
    response = _post_page(client, bad, indicator="10-c-1")
    assert response.status_code == 422
    assert "indicator_10-c-1.csv was refused; nothing was stored." in response.text
    assert "row 3" in response.text
    assert "row 5" in response.text
    assert "field Value" in response.text
    assert "row 4" not in response.text  # a blank value says there is no figure
    assert 'value="10-c-1" selected' in response.text
    assert _everything(session) == before


def test_an_unknown_indicator_or_an_odd_code_is_refused(session: Session) -> None:
    mexico = member_of(session, "MEX")
    for code, where in (("99.z.9", "indicator"), ("10.c\x00.1", "indicator"), ("1" * 80, "")):
        with pytest.raises(ValidationFailed) as refused:
            report_observations(session, code, GOOD, by=mexico)
        assert refused.value.problems[0].where.startswith(where)


def test_an_sdg_indicator_not_stored_yet_is_added(session: Session) -> None:
    assert session.scalar(select(Indicator).where(Indicator.code == "10-4-1")) is None
    report = report_observations(session, "10.4.1", GOOD, by=member_of(session, "MEX"))
    assert (report.indicator, report.sdg_code, report.stored) == ("10-4-1", "10.4.1", 4)
    added = session.scalar(select(Indicator).where(Indicator.code == "10-4-1"))
    assert added is not None
    assert added.level == "global"
    assert added.title


def test_too_large_a_file_is_refused(
    client: TestClient, session: Session, settings: Settings
) -> None:
    content = b"Year,Value\n" + b"2016,7.9\n" * (settings.max_upload_bytes // 9 + 1)
    response = client.post(
        API, files={"file": ("data.csv", content, "text/csv")}, headers=_token(session, MEXICO)
    )
    assert response.status_code in {413, 422}
    assert _stored(session, "MEX") == []


@pytest.mark.parametrize("name", ["indicator_10-c-1.csv", "indicator_8-8-1.csv"])
def test_a_file_of_a_real_national_data_folder_is_reported(
    client: TestClient, session: Session, name: str
) -> None:
    path = OPENSDG_UK / "data" / name
    expected = read_data_file(f"data/{name}", path.read_bytes(), [])
    assert expected is not None
    code = expected.code
    uk = _stored(session, "GBR", code)
    response = client.post(
        f"/api/v1/review/indicators/{code}/observations",
        files={"file": (name, path.read_bytes(), "text/csv")},
        headers=_token(session, MEXICO),
    )
    assert response.status_code == 201, response.text[:2000]
    assert response.json()["stored"] == len(expected.observations)
    assert response.json()["blank"] == expected.blanks
    assert len(_stored(session, "MEX", code)) == len(expected.observations)
    assert _stored(session, "GBR", code) == uk
    assert any(r.code == code for r in assess_progress(session, countries=["MEX"]))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.text(max_size=30))
def test_any_value_cell_is_stored_as_a_finite_number_or_refused_by_row_and_field(
    cell: str,
) -> None:
    quoted = '"' + cell.replace('"', '""') + '"'
    content = f"Year,Value\n2016,{quoted}\n".encode("utf-8", "surrogatepass")
    found, problems = None, []
    try:
        found = read_report("10-c-1", content)
    except ValidationFailed as exc:
        problems = exc.problems
    if found is None:
        assert problems
        assert all(p.where in {"", "row 2, field Value"} for p in problems), problems
    else:
        assert len(found.observations) == 1
        assert math.isfinite(found.observations[0].value)


def test_the_command_reports_a_file_for_a_country(cli_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}
    path = tmp_path / "indicator_10-c-1.csv"
    path.write_bytes(GOOD)
    args = ["review", "report-data", "10.c.1", str(path), "--country", "Ecuador"]
    first = runner.invoke(app, args, env=env)
    assert first.exit_code == 0, first.output
    assert "Stored 4 observations of 10.c.1 for ECU from" in first.output
    again = runner.invoke(app, args, env=env)
    assert "replacing 4." in again.output
    path.write_bytes(b"Year,Value\n2016,lots\n")
    bad = runner.invoke(app, args, env=env)
    assert bad.exit_code == 1
    assert "row 2, field Value" in bad.output
