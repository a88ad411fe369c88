"""Countries kept apart: progress, exports, API, pages and review cycles name the country, and one
country's review shows only its data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.review.services.indicators import (
    assess_progress,
    export_observations_csv,
    import_opensdg,
)
from stocktake.review.services.report import build_cycle_report
from tests.databases import OPENSDG_UK as UK
from tests.factories.frameworks import sdg
from tests.factories.review import cycle, frame

SYSTEM = Principal.system()


def _canada(tmp_path: Path) -> Path:
    """A second country's folder: remittance costs rising, where the UK's fall."""
    (tmp_path / "data").mkdir()
    (tmp_path / "meta").mkdir()
    (tmp_path / "data" / "indicator_10-c-1.csv").write_text(
        "Year,Units,Value\n2015,Percentage (%),5\n2020,Percentage (%),7\n"
    )
    (tmp_path / "meta" / "10-c-1.md").write_text(
        "---\nindicator_number: 10.c.1\nnational_geographical_coverage: Canada\n---\n"
    )
    return tmp_path


def _two_countries(session: Session, tmp_path: Path) -> None:
    sdg(session)
    import_opensdg(session, UK, by=SYSTEM)
    import_opensdg(session, _canada(tmp_path), by=SYSTEM)


def test_each_country_is_scored_on_its_own(bare_session: Session, tmp_path: Path) -> None:
    sdg(bare_session)
    import_opensdg(bare_session, UK, by=SYSTEM)
    alone = {r.code: r for r in assess_progress(bare_session)}["10-c-1"]
    import_opensdg(bare_session, _canada(tmp_path), by=SYSTEM)
    both = [r for r in assess_progress(bare_session) if r.code == "10-c-1"]
    assert [(r.country, r.status.value) for r in both] == [
        ("CAN", "deterioration"),
        ("GBR", alone.status.value),
    ]
    assert both[1].score == alone.score  # the UK's score is not averaged with Canada's
    only = assess_progress(bare_session, countries=["CAN"])
    assert [(r.code, r.country) for r in only] == [("10-c-1", "CAN")]
    rows = list(csv.DictReader(io.StringIO(export_observations_csv(bare_session, country="CAN"))))
    assert {r["geography"] for r in rows} == {"CAN"}
    assert len(rows) == 2


def test_one_countrys_settings_never_score_another(bare_session: Session, tmp_path: Path) -> None:
    """Canada sets its own target for remittance costs (1 %, rising desired: a made-up setting);
    the UK publishes none and keeps being scored on the compact's defaults, whoever imports last."""
    sdg(bare_session)
    import_opensdg(bare_session, UK, by=SYSTEM)
    alone = {r.code: r for r in assess_progress(bare_session)}["10-c-1"]
    folder = _canada(tmp_path)
    (folder / "meta" / "10-c-1.md").write_text(
        "---\nindicator_number: 10.c.1\nnational_geographical_coverage: Canada\n"
        "progress_calculation_options:\n- direction: positive\n  target: 1\n"
        "progress_status: target_achieved\n---\n"
    )
    import_opensdg(bare_session, folder, by=SYSTEM)
    uk = assess_progress(bare_session, countries=["GBR"])
    remittances = next(r for r in uk if r.code == "10-c-1")
    assert (remittances.status, remittances.score) == (alone.status, alone.score)
    assert not remittances.manual  # Canada's status set by hand stays Canada's
    canada = assess_progress(bare_session, countries=["CAN"])
    assert [(r.code, r.status.value, r.manual) for r in canada] == [
        ("10-c-1", "target_achieved", True)
    ]


def test_progress_command_has_a_country_column_and_filter(cli_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}
    done = runner.invoke(app, ["review", "import-opensdg", str(_canada(tmp_path))], env=env)
    assert done.exit_code == 0, done.output
    result = runner.invoke(
        app, ["review", "progress", "--format", "csv", "--country", "CAN"], env=env
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0])[:4] == ["indicator", "country", "score", "status"]
    assert [(r["indicator"], r["country"]) for r in rows] == [("10-c-1", "CAN")]


def test_the_api_and_the_page_filter_by_country(
    bare_client: TestClient, bare_session: Session, tmp_path: Path
) -> None:
    _two_countries(bare_session, tmp_path)
    found = bare_client.get("/api/v1/review/progress", params={"country": "CAN"}).json()
    assert [(r["indicator"], r["country"]) for r in found] == [("10-c-1", "CAN")]
    every = bare_client.get("/api/v1/review/progress").json()
    assert {r["country"] for r in every} == {"CAN", "GBR"}
    page = bare_client.get("/review/indicators", params={"country": "CAN"})
    assert page.status_code == 200
    assert "<td>CAN</td>" in page.text
    assert "<td>GBR</td>" not in page.text


def test_the_indicators_page_names_each_countrys_indicator_as_its_platform_does(
    bare_client: TestClient, bare_session: Session, tmp_path: Path
) -> None:
    """Canada's platform titles 10.c.1 in French and was imported last: the UK's row still shows
    the UK's own title, Canada's row Canada's."""
    sdg(bare_session)
    import_opensdg(bare_session, UK, by=SYSTEM)
    canada = _canada(tmp_path)
    meta = canada / "meta" / "10-c-1.md"
    meta.write_text(
        meta.read_text().replace("---\n", "---\nindicator_available: Coût des envois\n", 1)
    )
    import_opensdg(bare_session, canada, by=SYSTEM)
    uk = bare_client.get("/review/indicators", params={"country": "GBR"}).text
    assert "Remittance costs as a proportion of the amount remitted" in uk
    assert "Coût des envois" not in uk
    assert (
        "Coût des envois" in bare_client.get("/review/indicators", params={"country": "CAN"}).text
    )
    every = bare_client.get("/review/indicators").text
    assert "Coût des envois" in every
    assert "Remittance costs as a proportion of the amount remitted" in every


def test_a_national_review_reports_its_own_country_only(
    bare_session: Session, tmp_path: Path
) -> None:
    _two_countries(bare_session, tmp_path)
    frame(bare_session)
    canada = cycle(bare_session, slug="canada-2026", scope="national", region="Canada")
    assert canada.region == "CAN"
    report = build_cycle_report(bare_session, get_process(bare_session), canada)
    assert [(c.indicator, c.country, c.first, c.latest) for c in report.coverage] == [
        ("10.c.1", "CAN", "2015", "2020")
    ]
    assert sum(report.indicator_statuses.values()) == 1
    remittances = report.sections[19]
    assert [(i.code, i.country, i.status_label) for i in remittances.indicators] == [
        ("10.c.1", "CAN", "Deterioration")
    ]
    europe = cycle(bare_session, slug="europe-2026", scope="regional", region="Northern Europe")
    regional = build_cycle_report(bare_session, get_process(bare_session), europe)
    assert {c.country for c in regional.coverage} == {"GBR"}


@pytest.mark.parametrize(("scope", "region"), [("regional", "Atlantis"), ("national", "XXX")])
def test_a_cycle_names_a_region_or_country_of_the_registry(
    bare_session: Session, scope: str, region: str
) -> None:
    with pytest.raises(ValidationFailed, match=r"is not a (region|country) of the registry"):
        cycle(bare_session, slug="nowhere", scope=scope, region=region)
