"""A country's own progress settings, as its Open SDG platform scores them: the series, unit and
breakdown it names, its direction, target and limit, groups, the `Progress` column, attribute
columns that are no breakdowns, and the headline scores it publishes.

The fixture folder `opensdg-platform/` publishes scores written by hand from Open SDG's formulas
(its README shows each computation); stocktake must reproduce them."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.review.models import CountryIndicator, Indicator
from stocktake.review.opensdg import read_folder
from stocktake.review.progress import IndicatorProgress, ProgressStatus
from stocktake.review.services.indicators import assess_progress, import_opensdg
from tests.databases import OPENSDG_UK as UK
from tests.factories.frameworks import sdg

PLATFORM = Path(__file__).parent / "opensdg-platform"
SYSTEM = Principal.system()


def _scores(session: Session, folder: Path = PLATFORM) -> dict[str, IndicatorProgress]:
    import_opensdg(session, folder, by=SYSTEM)
    return {r.code: r for r in assess_progress(session, countries=["ISL"])}


def _copy(tmp_path: Path, code: str, config: dict[str, object]) -> Path:
    """The fixture folder with one indicator's configuration replaced."""
    folder = tmp_path / "platform"
    shutil.copytree(PLATFORM, folder)
    (folder / "indicator-config" / f"{code}.yml").write_text(yaml.safe_dump(config))
    return folder


def test_the_platform_s_published_scores_are_reproduced(bare_session: Session) -> None:
    scores = _scores(bare_session)
    published = {code: r.published_score for code, r in scores.items()}
    assert published == {
        "1-2-1": -0.9365,
        "2-a-1": -3.0263,
        "3-1-1": 2.0528,
        "6-1-1": 2.7357,
        "8-5-2": 1.3016,
        "9-c-1": 1.6978,
        "16-1-1": None,
    }
    for code, score in published.items():
        if score is not None:
            assert scores[code].score == pytest.approx(score, abs=0.01), code
    assert {c: r.status.value for c, r in scores.items()} == {
        "1-2-1": "limited_progress",
        "2-a-1": "deterioration",
        "3-1-1": "moderate_progress",
        "6-1-1": "substantial_progress",
        "8-5-2": "moderate_progress",
        "9-c-1": "moderate_progress",
        "16-1-1": "moderate_progress",
    }
    stored = bare_session.scalar(
        select(CountryIndicator)
        .join(Indicator)
        .where(Indicator.code == "3-1-1", CountryIndicator.geography == "ISL")
    )
    assert stored is not None
    assert stored.published_score == 2.0528


def test_the_configured_series_is_the_one_scored(bare_session: Session, tmp_path: Path) -> None:
    result = _scores(bare_session)["2-a-1"]
    assert [s.series for s in result.series] == [
        "Agriculture orientation index for government expenditures"
    ]
    assert result.score == pytest.approx(-3.0263, abs=1e-4)  # 125 × −0.0042107 − 2.5
    unchosen = _copy(tmp_path, "2-a-1", {"auto_progress_calculation": True})
    result = _scores(bare_session, unchosen)["2-a-1"]
    assert (result.score, result.status) == (None, ProgressStatus.NOT_AVAILABLE)
    assert "3 series remain" in result.series[0].note


def test_a_configured_breakdown_is_chosen_where_there_is_no_headline(
    bare_session: Session, tmp_path: Path
) -> None:
    result = _scores(bare_session)["8-5-2"]
    assert result.series[0].series == "Sex: Female"
    assert (result.series[0].base_value, result.series[0].current_value) == (6.0, 5.7)
    unchosen = _copy(
        tmp_path, "8-5-2", {"auto_progress_calculation": True, "progress_calculation_options": [{}]}
    )
    result = _scores(bare_session, unchosen)["8-5-2"]
    assert result.score is None
    assert "no headline (total) observations" in result.series[0].note


@pytest.mark.parametrize(
    ("code", "config", "score", "status"),
    [
        # 3-1-1 without its target: growth g = −(0.9^(1/5) − 1) = 2.085 %, 500·g − 5 capped at 5
        ("3-1-1", [{"direction": "negative"}], 5.0, "substantial_progress"),
        # 3-1-1 with an increase to 120 desired: R = −0.0208516 / 0.0122290 = −1.705, floored
        ("3-1-1", [{"direction": "positive", "target": 120}], -5.0, "deterioration"),
        # an increase to 70 desired: 90 is beyond it
        ("3-1-1", [{"direction": "positive", "target": 70}], 5.0, "target_achieved"),
        # 3-1-1 without a direction: Open SDG's default, negative
        ("3-1-1", [{"target": 70}], 2.0528, "moderate_progress"),
        # 9-c-1 without its limit: 0 ≤ g = 0.4405 % < 0.5 %: 500·g − 2.5
        ("9-c-1", [{"direction": "positive"}], -0.2973, "limited_progress"),
    ],
)
def test_direction_target_and_limit_are_honoured(
    bare_session: Session,
    tmp_path: Path,
    code: str,
    config: list[dict[str, object]],
    score: float,
    status: str,
) -> None:
    folder = _copy(
        tmp_path, code, {"auto_progress_calculation": True, "progress_calculation_options": config}
    )
    result = _scores(bare_session, folder)[code]
    assert result.score == pytest.approx(score, abs=1e-4)
    assert result.status.value == status


def test_the_configured_target_and_limit_are_used(bare_session: Session) -> None:
    scores = _scores(bare_session)
    target = scores["3-1-1"].series[0]
    assert target.required_cagr == pytest.approx(-0.0234979, abs=1e-7)  # (70/100)^(1/15) − 1
    assert target.ratio == pytest.approx(0.887385, abs=1e-6)
    limit = scores["9-c-1"].series[0]
    assert limit.scaling == pytest.approx(0.373622, abs=1e-6)  # 1 − 0.9^4.44


def test_a_group_counts_once_with_its_mean(bare_session: Session) -> None:
    result = _scores(bare_session)["1-2-1"]
    scores = [s.score for s in result.series]
    assert scores == pytest.approx([-4.9056, 1.0652, 5.0], abs=1e-4)
    assert result.score == pytest.approx((-4.9056 + (1.0652 + 5.0) / 2) / 2, abs=1e-4)


def test_the_progress_column_replaces_the_values(bare_session: Session) -> None:
    series = _scores(bare_session)["6-1-1"].series[0]
    # Progress 40 → 37; the 2022 row, with no Progress value, is left out
    assert (series.base_value, series.current_value, series.current_time) == (40, 37, 2020)


def test_automatic_progress_turned_off_shows_the_status_set_by_hand(
    bare_session: Session,
) -> None:
    result = _scores(bare_session)["16-1-1"]
    assert (result.score, result.status, result.manual) == (
        None,
        ProgressStatus.MODERATE,
        True,
    )
    assert "automatic progress calculation is off" in result.note


def test_attribute_columns_are_never_breakdowns() -> None:
    folder = read_folder(PLATFORM)
    index = folder.indicators["2-a-1"].observations[-2]
    assert index.disaggregation == {}
    assert index.attributes == {"OBS_STATUS": "E", "UNIT_MULT": "6", "COMMENT_OBS": "provisional"}
    deaths = folder.indicators["3-1-1"].observations
    assert [o.disaggregation for o in deaths] == [{}, {}, {}, {"Sex": "Female"}, {"Sex": "Female"}]
    assert deaths[2].attributes["Observation status"] == "Estimated value"
    # Source: not a breakdown because the folder's config_data.yml says so
    assert folder.indicators["9-c-1"].observations[0].disaggregation == {}
    assert folder.published_scores["9-c-1"] == 1.6978


def test_the_command_prints_each_score_beside_the_published_one(cli_db: str) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}
    result = runner.invoke(app, ["review", "import-opensdg", str(PLATFORM)], env=env)
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["review", "progress", "--country", "ISL", "--format", "csv"], env=env
    )
    assert result.exit_code == 0, result.output
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(result.output))}
    # the commands' database is the whole session's: other tests may add ISL indicators of their own
    imported = {f.stem.removeprefix("indicator_") for f in (PLATFORM / "data").glob("*.csv")}
    assert len(imported) == 7
    assert set(rows) >= imported
    rows = {code: row for code, row in rows.items() if code in imported}
    assert (rows["2-a-1"]["score"], rows["2-a-1"]["published_score"]) == ("-3.0263", "-3.0263")
    assert rows["16-1-1"]["published_score"] == ""
    agree = [
        r
        for r in rows.values()
        if r["published_score"] and abs(float(r["score"]) - float(r["published_score"])) <= 0.01
    ]
    assert len(agree) == 6


def test_the_uk_worked_examples_of_the_documentation(bare_session: Session) -> None:
    """docs/review.md, "Worked examples from the UK folder"."""
    sdg(bare_session)
    import_opensdg(bare_session, UK, by=SYSTEM)
    results = {r.code: r for r in assess_progress(bare_session, countries=["GBR"])}
    costs = results["10-c-1"].series[0]
    assert (costs.base_time, costs.base_value, costs.current_time, costs.current_value) == (
        2015,
        7.49,
        2022.5,
        6.33,
    )
    assert costs.cagr == pytest.approx(-0.022186, abs=1e-6)  # (6.33/7.49)^(1/7.5) − 1
    assert costs.required_cagr == pytest.approx(-0.059174, abs=1e-6)  # (3/7.49)^(1/15) − 1
    assert costs.ratio == pytest.approx(0.374928, abs=1e-6)
    assert results["10-c-1"].score == pytest.approx(-0.9378, abs=1e-4)  # 4.1667 R − 2.5
    victims = results["16-2-2"].series[0]
    assert victims.cagr == pytest.approx(0.270301, abs=1e-6)  # (11387/2710)^(1/6) − 1
    assert victims.required_cagr == pytest.approx(-0.627492, abs=1e-6)  # (0.001/2710)^(1/15) − 1
    assert results["16-2-2"].score == pytest.approx(-4.2949, abs=1e-4)
    assert results["8-7-1"].note == "no headline (total) observations"
    configured = bare_session.scalar(
        select(CountryIndicator)
        .join(Indicator)
        .where(Indicator.code == "8-7-1", CountryIndicator.geography == "GBR")
    )
    assert configured is not None
    configured.progress_options = [
        {
            "disaggregation": [
                {"field": "Type of exploitation", "value": "Labour"},
                {"field": "Sex", "value": "Female"},
            ],
            "direction": "negative",
            "target": 0,
        }
    ]
    configured.meta = {**configured.meta, "auto_progress_calculation": True}
    bare_session.flush()
    labour = {r.code: r for r in assess_progress(bare_session, countries=["GBR"])}["8-7-1"]
    assert (labour.series[0].base_value, labour.series[0].current_value) == (32, 29)
    assert labour.series[0].ratio == pytest.approx(0.145212, abs=1e-6)
    assert labour.score == pytest.approx(-1.8949, abs=1e-4)
    assert labour.status is ProgressStatus.LIMITED


def test_settings_open_sdg_cannot_use_are_listed_and_the_rest_imports(
    bare_session: Session, tmp_path: Path
) -> None:
    folder = _copy(
        tmp_path,
        "1-2-1",
        {
            "auto_progress_calculation": True,
            "progress_calculation_options": [
                {"series": "Poverty gap", "direction": "negative"},
                "not settings",
                {"series": "Poverty rate", "direction": "upward", "target": "lots"},
                {"series": "Poverty rate", "disaggregation": "Female"},
                {"group": "nope"},
                {"group": [{"series": "Poverty rate", "limit": [1]}]},
            ],
        },
    )
    report = import_opensdg(bare_session, folder, by=SYSTEM)
    where = "indicator-config/1-2-1, progress_calculation_options"
    assert [str(p) for p in report.problems] == [
        f"{where} entry 2: 'not settings' is not a set of settings; ignored",
        f"{where} entry 3, field direction: 'upward' is not positive or negative; Open SDG "
        "reads it as negative",
        f"{where} entry 3, field target: 'lots' is not a number; ignored",
        f"{where} entry 4, field disaggregation: is not a list of {{field, value}}; not applied",
        f"{where} entry 5, field group: is not a list of entries; ignored",
        f"{where} entry 6, group entry 1, field limit: [1] is not a number; ignored",
    ]
    assert report.indicators == 7
    with pytest.raises(ValidationFailed):
        import_opensdg(bare_session, folder, by=SYSTEM, strict=True)


def test_the_api_and_the_page_show_the_published_score(
    bare_client: TestClient, bare_session: Session, tmp_path: Path
) -> None:
    # 3-1-1 with a single observation already beyond its target: target achieved, no growth
    folder = _copy(
        tmp_path,
        "3-1-1",
        {
            "auto_progress_calculation": True,
            "progress_calculation_options": [{"direction": "negative", "target": 95}],
        },
    )
    (folder / "data" / "indicator_3-1-1.csv").write_text("Year,Units,Value\n2020,Rate,90\n")
    import_opensdg(bare_session, folder, by=SYSTEM)
    found = {
        r["indicator"]: r
        for r in bare_client.get("/api/v1/review/progress", params={"country": "ISL"}).json()
    }
    assert found["2-a-1"]["published_score"] == -3.0263
    assert (found["3-1-1"]["score"], found["3-1-1"]["status"]) == (5.0, "target_achieved")
    assert found["3-1-1"]["series"][0]["cagr"] is None
    page = bare_client.get("/review/indicators", params={"country": "ISL"})
    assert page.status_code == 200
    assert "published -3.03" in page.text
