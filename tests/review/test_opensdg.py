"""Reading and importing an Open SDG data folder: the real UK folder, and bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.core.errors import PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.review.models import Indicator, Observation
from stocktake.review.opensdg import parse_period, read_folder
from stocktake.review.services.indicators import (
    assess_progress,
    export_observations_csv,
    get_indicator,
    import_opensdg,
)
from tests.conftest import SHARED
from tests.factories.frameworks import sdg

UK = SHARED / "data" / "opensdg-uk"
SYSTEM = Principal.system()


@pytest.mark.parametrize(
    ("raw", "label", "year", "time"),
    [
        ("2015", "2015", 2015, 2015.0),
        ("2013 Q3", "2013 Q3", 2013, 2013.5),
        ("Q2 2014", "2014 Q2", 2014, 2014.25),
        ("2002/03", "2002/03", 2002, 2002.0),
        ("1980 to 1990", "1980 to 1990", 1980, 1980.0),
        ("2019/20 [Note 5]", "2019/20", 2019, 2019.0),
        ("2011-12", "2011-12", 2011, 2011.0),
    ],
)
def test_periods(raw: str, label: str, year: int, time: float) -> None:
    period = parse_period(raw)
    assert period is not None
    assert (period.label, period.year, period.time) == (label, year, time)


def test_a_sentence_is_no_period() -> None:
    assert parse_period("There is no data for this indicator yet") is None


def test_the_uk_folder_reads_whole() -> None:
    folder = read_folder(UK)
    assert len(folder.indicators) == 11
    assert {c for c, i in folder.indicators.items() if i.placeholder} == {"10-7-1", "10-7-2"}
    remittances = folder.indicators["10-c-1"]
    assert remittances.sdg_code == "10.c.1"
    assert remittances.observations[0].period.label == "2013 Q1"
    assert remittances.observations[0].unit == "Percentage (%)"
    injuries = folder.indicators["8-8-1"]
    assert {o.series for o in injuries.observations} == {"Fatal injury", "Non-fatal injury"}
    assert "Industry sector" in injuries.observations[0].disaggregation
    assert "Observation status" in injuries.observations[0].attributes
    # 5.2.2 names its unit column "Unit measure"
    assert folder.indicators["5-2-2"].observations[0].unit == "Percentage (%)"


def test_import_the_uk_folder(bare_session: Session) -> None:
    sdg(bare_session)
    report = import_opensdg(bare_session, UK, by=SYSTEM)
    assert (report.indicators, report.placeholders, report.geography) == (11, 2, "GBR")
    stored = bare_session.scalar(select(func.count()).select_from(Observation))
    assert stored == report.observations > 1500
    remittances = get_indicator(bare_session, "10.c.1")
    assert remittances.level == "global"
    assert (remittances.direction, remittances.target) == ("decrease", 3)
    assert remittances.title == "Remittance costs as a proportion of the amount remitted"
    again = import_opensdg(bare_session, UK, by=SYSTEM)  # re-import replaces, never duplicates
    assert bare_session.scalar(select(func.count()).select_from(Observation)) == again.observations


def test_every_uk_indicator_gets_a_progress_result(bare_session: Session) -> None:
    sdg(bare_session)
    import_opensdg(bare_session, UK, by=SYSTEM)
    results = {r.code: r for r in assess_progress(bare_session)}
    assert len(results) == 11
    assert results["10-c-1"].status.value == "limited_progress"
    assert results["8-8-1"].series[0].series == "Fatal injury"
    assert results["10-7-1"].status.value == "not_available"


def test_export_csv(bare_session: Session) -> None:
    sdg(bare_session)
    import_opensdg(bare_session, UK, by=SYSTEM)
    text = export_observations_csv(bare_session, get_indicator(bare_session, "10-c-1"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["indicator"] == "10-c-1"
    assert rows[0]["period"] == "2013 Q1"
    assert rows[0]["value"] == "7.96"
    assert rows[0]["geography"] == "GBR"


def _folder(tmp_path: Path, name: str, content: str, meta: bool = True) -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / name).write_bytes(content.encode("utf-8-sig"))
    if meta:
        (tmp_path / "meta").mkdir(exist_ok=True)
        code = name.removeprefix("indicator_").removesuffix(".csv")
        (tmp_path / "meta" / f"{code}.md").write_text("---\nindicator_number: x\n---\n")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content", "meta", "where", "what"),
    [
        (
            "indicator_1-1-1.csv",
            "Year,Amount\n2015,3\n",
            True,
            "indicator_1-1-1.csv row 1",
            "has no Value column",
        ),
        (
            "indicator_1-1-1.csv",
            "When,Value\n2015,3\n",
            True,
            "indicator_1-1-1.csv row 1",
            "has no Year column",
        ),
        (
            "indicator_1-1-1.csv",
            "Year,Value\n2015,3\n2016,three\n",
            True,
            "row 3, field Value",
            "'three' is not a number",
        ),
        ("indicator_1-1-1.csv", "Year,Value\nsoon,3\n", True, "row 2, field Year", "is not a year"),
        (
            "indicator_99-z-9.csv",
            "Year,Value\n2015,3\n",
            False,
            "indicator_99-z-9.csv",
            "unknown indicator code '99-z-9'",
        ),
        ("cards.csv", "Year,Value\n2015,3\n", False, "data/cards.csv", "is not named indicator_"),
    ],
)
def test_bad_input_is_refused_whole(
    bare_session: Session,
    tmp_path: Path,
    name: str,
    content: str,
    meta: bool,
    where: str,
    what: str,
) -> None:
    sdg(bare_session)
    folder = _folder(tmp_path, name, content, meta)
    _folder(tmp_path, "indicator_1-2-1.csv", "Year,Value\n2015,1\n2016,2\n")  # a good file beside
    before = bare_session.scalar(select(func.count()).select_from(Indicator))
    with pytest.raises(ValidationFailed) as caught:
        import_opensdg(bare_session, folder, by=SYSTEM)
    message = str(caught.value)
    assert where in message
    assert what in message
    assert bare_session.scalar(select(func.count()).select_from(Indicator)) == before


def test_only_the_secretariat_imports(bare_session: Session) -> None:
    with pytest.raises(PermissionDenied):
        import_opensdg(bare_session, UK, by=Principal(role=Role.DELEGATION_MEMBER, user_id=1))


def test_commands_import_and_print_progress(cli_db: str) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}
    result = runner.invoke(app, ["review", "import-opensdg", str(UK)], env=env)
    assert result.exit_code == 0, result.output
    assert "Imported 11 indicators (2 without data yet)" in result.output
    result = runner.invoke(app, ["review", "progress", "--format", "csv"], env=env)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0])[:3] == ["indicator", "score", "status"]
    assert {"cagr", "ratio", "series_score", "base_period"} <= set(rows[0])
    assert len(rows) == 11
    assert {r["indicator"] for r in rows} >= {"10-c-1", "8-8-1", "10-7-1"}
    bad = runner.invoke(app, ["review", "import-opensdg", str(UK / "meta")], env=env)
    assert bad.exit_code == 1
    assert "has no data/ folder" in bad.output
    exported = runner.invoke(app, ["review", "export", "--indicator", "10-c-1"], env=env)
    assert exported.output.startswith("indicator,sdg_code,geography")
