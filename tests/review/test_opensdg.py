"""Reading and importing an Open SDG data folder: the real UK folder, and bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.core.errors import PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.review.models import CountryIndicator, Indicator, Observation
from stocktake.review.opensdg import parse_period, read_folder
from stocktake.review.services.indicators import (
    assess_progress,
    export_observations_csv,
    get_indicator,
    import_opensdg,
    list_observations,
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
        (tmp_path / "meta" / f"{code}.md").write_text(
            "---\nindicator_number: x\nnational_geographical_coverage: Kenya\n---\n"
        )
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
        (
            "indicator_1-1-1.csv",
            "Year,Sex,Value\n2015,3\n",
            True,
            "indicator_1-1-1.csv row 2",
            "has 2 fields, the header 3",
        ),
    ],
)
def test_bad_input_is_refused_whole_when_strict(
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
        import_opensdg(bare_session, folder, by=SYSTEM, strict=True)
    message = str(caught.value)
    assert where in message
    assert what in message
    assert bare_session.scalar(select(func.count()).select_from(Indicator)) == before
    # without --strict the bad place is skipped and listed, the good file beside it imported
    report = import_opensdg(bare_session, folder, by=SYSTEM)
    listed = "\n".join(str(p) for p in report.problems)
    assert where in listed
    assert what in listed
    assert get_indicator(bare_session, "1-2-1").code == "1-2-1"


def test_only_the_secretariat_imports(bare_session: Session) -> None:
    with pytest.raises(PermissionDenied):
        import_opensdg(bare_session, UK, by=Principal(role=Role.DELEGATION_MEMBER, user_id=1))


def test_commands_import_and_print_progress(cli_db: str) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}
    result = runner.invoke(app, ["review", "import-opensdg", str(UK)], env=env)
    assert result.exit_code == 0, result.output
    assert (
        "Imported 11 indicators (2 without data yet; reporting status: 9 complete, 2 not started)"
        in result.output
    )
    result = runner.invoke(app, ["review", "progress", "--format", "csv"], env=env)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0])[:4] == ["indicator", "country", "score", "status"]
    assert {"cagr", "ratio", "series_score", "base_period"} <= set(rows[0])
    rows = [r for r in rows if r["country"] == "GBR"]  # other tests add other countries
    assert len(rows) == 11
    assert {r["indicator"] for r in rows} >= {"10-c-1", "8-8-1", "10-7-1"}
    bad = runner.invoke(app, ["review", "import-opensdg", str(UK / "meta")], env=env)
    assert bad.exit_code == 1
    assert "has no data/ folder" in bad.output
    exported = runner.invoke(app, ["review", "export", "--indicator", "10-c-1"], env=env)
    assert exported.output.startswith("indicator,sdg_code,geography")


HOSTILE = """Year,Sex,Progress,Units,Value
2015,,,Percent,10
2016/18 (baseline),,,Percent,11
2021-2022*,,,Percent,12
2023,,,Percent,Inf
2023,Female,,Percent,NaN
2024,,,Percent,
2025,,,Percent,twelve
someday,,,Percent,13
2026,,
"""


def _hostile(tmp_path: Path) -> Path:
    """A folder as national platforms publish them: ranges, footnoted years, non-finite and blank
    values, underscores in file names, a status set by hand, metadata with no data."""
    (tmp_path / "data").mkdir()
    (tmp_path / "meta").mkdir()
    (tmp_path / "data" / "indicator_10_1_1.csv").write_text(HOSTILE)
    (tmp_path / "meta" / "10_1_1.md").write_text(
        "---\nindicator_number: 10.1.1\nreporting_status: complete\n"
        "progress_status: not_available_manual\n---\n"
    )
    (tmp_path / "meta" / "10-2-1.md").write_text(
        "---\nindicator_number: 10.2.1\nreporting_status: notstarted\n---\n"
    )
    return tmp_path


def test_a_folder_as_published_imports_with_its_problems_listed(
    bare_session: Session, tmp_path: Path
) -> None:
    sdg(bare_session)
    folder = _hostile(tmp_path)
    report = import_opensdg(bare_session, folder, by=SYSTEM, country="MEX")
    problems = [str(p) for p in report.problems]
    # every problem of the file, found in one pass, each named by file, row and field
    assert problems == [
        "data/indicator_10_1_1.csv row 8, field Value: 'twelve' is not a number",
        "data/indicator_10_1_1.csv row 9, field Year: 'someday' is not a year",
        "data/indicator_10_1_1.csv row 10: has 3 fields, the header 5",
    ]
    notes = [str(n) for n in report.notes]
    assert (
        "data/indicator_10_1_1.csv row 5, field Value: 'Inf' is not a finite number; skipped"
        in notes
    )
    assert (
        "data/indicator_10_1_1.csv row 6, field Value: 'NaN' is not a finite number; skipped"
        in notes
    )
    assert "data/indicator_10_1_1.csv: 1 blank value(s) skipped" in notes
    assert (report.indicators, report.placeholders, report.observations) == (2, 1, 3)
    assert report.reporting == {"complete": 1, "notstarted": 1}
    rows = list_observations(bare_session, get_indicator(bare_session, "10.1.1"))
    assert [(o.period, o.attributes.get("Period note", "")) for o in rows] == [
        ("2015", ""),
        ("2016/18", "baseline"),
        ("2021-2022", "*"),
    ]
    assert {o.geography for o in rows} == {"MEX"}
    stored = {c.indicator.code: c for c in bare_session.scalars(select(CountryIndicator))}
    assert stored["10-2-1"].reporting_status == "notstarted"  # metadata, no data: kept
    assert stored["10-1-1"].manual_status == "not_available"
    assert stored["10-1-1"].published_status == "not_available_manual"


def _as_other_platforms_publish(tmp_path: Path) -> Path:
    """Shapes seen in national repositories: a file named without `indicator_` (sdg-build reads
    `data/*-*.csv`), values written `NA` and `#N/A` as R and Excel leave them, national codes in
    four parts and in two, and the country named by a translation key in the platform's language."""
    (tmp_path / "data").mkdir()
    (tmp_path / "meta").mkdir()
    (tmp_path / "data" / "1-2-1.csv").write_text(
        "Year,Geography,Value\n2015,,14.5\n2016,,NA\n2017,,#N/A\n2018,Region A,null\n2019,,11.2\n"
    )
    (tmp_path / "data" / "indicator_10-5-1-1.csv").write_text("Year,Units,Value\n2016,KZT,-7.5\n")
    # a national numbering in two parts, as a German platform publishes its own indicators
    (tmp_path / "data" / "indicator_10-7.csv").write_text("Year,Size,Value\n2018,small,1.3\n")
    (tmp_path / "meta" / "10-7.yml").write_text(
        "indicator_number: 10-7\ngraph_title: Municipalities with a seniors' council\n"
    )
    (tmp_path / "meta" / "1-2-1.md").write_text(
        "---\nindicator_number: 1.2.1\nnational_geographical_coverage: meta.Казахстан\n"
        "graph_title: chart.1-2-1-title\nindicator_name: global_indicators.1-2-1-title\n---\n"
    )
    (tmp_path / "meta" / "10-5-1-1.md").write_text(
        "---\nindicator_number: 10.5.1.1\nnational_geographical_coverage: "
        "Kazakhstan (whole country)\ngraph_title: national_indicators.10-5-1-1-title\n---\n"
    )
    return tmp_path


def test_files_values_and_country_names_as_other_platforms_write_them(
    bare_session: Session, tmp_path: Path
) -> None:
    sdg(bare_session)
    report = import_opensdg(bare_session, _as_other_platforms_publish(tmp_path), by=SYSTEM)
    assert report.problems == []  # a missing value is no problem, as in Open SDG's build
    assert [str(n) for n in report.notes] == ["data/1-2-1.csv: 3 blank value(s) skipped"]
    assert (report.indicators, report.observations) == (3, 4)
    rows = list_observations(bare_session, get_indicator(bare_session, "1-2-1"))
    assert [(o.period, o.value, o.geography) for o in rows] == [
        ("2015", 14.5, "KAZ"),
        ("2019", 11.2, "KAZ"),
    ]
    national = list_observations(bare_session, get_indicator(bare_session, "10-5-1-1"))
    assert [(o.value, o.geography) for o in national] == [(-7.5, "KAZ")]
    # titles given only as the site's translation keys: the SDG framework's words, else the code
    assert get_indicator(bare_session, "1-2-1").title.startswith(
        "Proportion of population living below the national poverty line"
    )
    assert get_indicator(bare_session, "10-5-1-1").title == "10.5.1.1"
    assert get_indicator(bare_session, "10-7").title == "Municipalities with a seniors' council"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("meta.Казахстан", "KAZ"),
        ("Deutschland", "DEU"),
        ("Canada (provinces only)", "CAN"),
        ("México", "MEX"),
        ("KEN", "KEN"),
    ],
)
def test_a_country_named_in_its_own_language(
    bare_session: Session, tmp_path: Path, written: str, code: str
) -> None:
    sdg(bare_session)
    folder = _folder(tmp_path, "indicator_10-c-1.csv", "Year,Value\n2015,3\n", meta=False)
    (folder / "meta").mkdir()
    (folder / "meta" / "10-c-1.md").write_text(
        f"---\nnational_geographical_coverage: {written}\n---\n"
    )
    import_opensdg(bare_session, folder, by=SYSTEM)
    assert bare_session.scalars(select(Observation.geography)).all() == [code]


def test_strict_refuses_the_folder_and_keeps_what_is_stored(
    bare_session: Session, tmp_path: Path
) -> None:
    sdg(bare_session)
    import_opensdg(bare_session, UK, by=SYSTEM)
    before = bare_session.scalar(select(func.count()).select_from(Observation))
    with pytest.raises(ValidationFailed) as caught:
        import_opensdg(bare_session, _hostile(tmp_path), by=SYSTEM, country="GBR", strict=True)
    assert "row 8, field Value" in str(caught.value)
    assert "row 9, field Year" in str(caught.value)
    assert bare_session.scalar(select(func.count()).select_from(Observation)) == before


def test_reimporting_with_a_country_replaces_an_untagged_copy(bare_session: Session) -> None:
    sdg(bare_session)
    first = import_opensdg(bare_session, UK, by=SYSTEM)
    remittances = get_indicator(bare_session, "10-c-1")
    # a copy stored for no named place (as earlier versions did) goes when the country re-imports
    bare_session.execute(
        update(Observation).where(Observation.indicator_id == remittances.id).values(geography="")
    )
    again = import_opensdg(bare_session, UK, by=SYSTEM, country="United Kingdom")
    assert again.observations == first.observations
    places = bare_session.scalars(select(Observation.geography).distinct()).all()
    assert places == ["GBR"]
    assert bare_session.scalar(select(func.count()).select_from(Observation)) == first.observations


def test_a_country_outside_the_registry_or_none_at_all_is_refused(
    bare_session: Session, tmp_path: Path
) -> None:
    sdg(bare_session)
    with pytest.raises(ValidationFailed, match="'Atlantis' is not a country of the registry"):
        import_opensdg(bare_session, UK, by=SYSTEM, country="Atlantis")
    with pytest.raises(ValidationFailed, match="give the country with --country"):
        import_opensdg(bare_session, _hostile(tmp_path), by=SYSTEM)
    assert bare_session.scalar(select(func.count()).select_from(Observation)) == 0


def test_the_command_lists_what_it_skipped_and_succeeds(cli_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}
    folder = _hostile(tmp_path)
    result = runner.invoke(
        app, ["review", "import-opensdg", str(folder), "--country", "MEX"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "for MEX" in result.output
    assert "Skipped, 3 problem(s):" in result.output
    assert "row 9, field Year: 'someday' is not a year" in result.output
    strict = runner.invoke(
        app, ["review", "import-opensdg", str(folder), "--country", "MEX", "--strict"], env=env
    )
    assert strict.exit_code == 1
    assert "refused, nothing stored (3 problems)" in strict.output
