"""SDMX-ML in the UN SDG layout: series mapped to their SDG indicator, countries by M49 or ISO
code, units and attributes kept, every key and period one observation, and the round trip."""

from __future__ import annotations

import csv
import itertools
import re
import tempfile
from pathlib import Path

import pytest
import sdmx
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.core.db import create_db_engine
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.frameworks.sdg import read_sdg_folder
from stocktake.frameworks.services import REFERENCE_SDG
from stocktake.review.models import Indicator, Observation
from stocktake.review.sdmx import ExportRow, read_sdmx_file, shipped_series, write_sdmx
from stocktake.review.sdmx.series import TABLE
from stocktake.review.services.indicators import (
    export_observations_sdmx,
    get_indicator,
    import_sdmx,
    list_observations,
)
from tests.factories.frameworks import sdg

SYSTEM = Principal.system()
SEXES = ("_T", "M", "F")
AGES = ("_T", "Y0T17", "Y18T64", "Y_GE65")
YEARS = range(2012, 2024)
PLACES = ("826", "484")  # M49 codes of the United Kingdom and Mexico

HEAD = """<?xml version="1.0" ?>
<message:StructureSpecificData
  xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
  xmlns:ns1="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=IAEG-SDGs:SDG(1.8):ObsLevelDim:TIME_PERIOD"
  xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
  xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <message:Header>
    <message:ID>IREF1</message:ID><message:Test>false</message:Test>
    <message:Prepared>2024-05-28T14:07:26Z</message:Prepared><message:Sender id="UNSD"/>
    <message:Structure structureID="IAEG-SDGs_SDG_1_8" dimensionAtObservation="TIME_PERIOD"
      namespace="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=IAEG-SDGs:SDG(1.8):ObsLevelDim:TIME_PERIOD">
      <common:Structure><Ref agencyID="IAEG-SDGs" id="SDG" version="1.8"/></common:Structure>
    </message:Structure>
  </message:Header>
  <message:DataSet ss:dataScope="DataStructure" xsi:type="ns1:DataSetType"
    ss:structureRef="IAEG-SDGs_SDG_1_8">
"""
REST = (
    'URBANISATION="_T" INCOME_WEALTH_QUANTILE="_T" EDUCATION_LEV="_T" OCCUPATION="_T" '
    'CUST_BREAKDOWN="_T" COMPOSITE_BREAKDOWN="_T" DISABILITY_STATUS="_T" ACTIVITY="_T" '
    'PRODUCT="_T"'
)


def un_file(
    series: str = "SI_POV_NAHC", places: tuple[str, ...] = PLACES, extra: str = ""
) -> tuple[str, int]:
    """A structure-specific file as the UN SDG data carry it: every dimension on every series,
    UNIT_MEASURE on the series, UNIT_MULT, NATURE and OBS_STATUS on each observation."""
    parts, count = [HEAD], 0
    for n, (place, sex, age) in enumerate(itertools.product(places, SEXES, AGES)):
        parts.append(
            f'<Series FREQ="A" REPORTING_TYPE="N" SERIES="{series}" REF_AREA="{place}" '
            f'SEX="{sex}" AGE="{age}" {REST} UNIT_MEASURE="PT">'
        )
        for year in YEARS:
            value = 10 + n + (year - 2012) / 4
            parts.append(
                f'<Obs TIME_PERIOD="{year}" OBS_VALUE="{value}" OBS_STATUS="A" UNIT_MULT="0" '
                f'NATURE="{"E" if year % 2 else "C"}"/>'
            )
            count += 1
        parts.append("</Series>")
    parts.append(extra)
    parts.append("</message:DataSet></message:StructureSpecificData>")
    return "\n".join(parts), count


def snapshot(session: Session) -> list[tuple[object, ...]]:
    return sorted(
        (
            o.indicator.code,
            o.geography,
            o.series,
            o.unit,
            o.period,
            o.value,
            sorted(o.disaggregation.items()),
            sorted(o.attributes.items()),
        )
        for o in list_observations(session)
    )


def test_a_un_layout_file_imports_by_series_with_units_and_attributes(
    bare_session: Session, tmp_path: Path
) -> None:
    sdg(bare_session)
    content, count = un_file()
    path = tmp_path / "1-2-1.xml"
    path.write_text(content)
    report = import_sdmx(bare_session, path, by=SYSTEM)
    assert (report.observations, report.indicators, report.geography) == (count, 1, "GBR, MEX")
    assert report.problems == []
    indicator = get_indicator(bare_session, "1.2.1")
    assert (indicator.sdg_code, indicator.level, indicator.series_codes) == (
        "1.2.1",
        "global",
        ["SI_POV_NAHC"],
    )
    rows = list_observations(bare_session, indicator)
    assert len(rows) == count == 2 * 3 * 4 * 12
    first = next(
        o for o in rows if o.geography == "GBR" and o.period == "2013" and not o.disaggregation
    )
    assert (first.series, first.unit, first.value) == ("SI_POV_NAHC", "PT", 10.25)
    # FREQ and REPORTING_TYPE are kept only when they say more than the period (annual,
    # national data)
    assert first.attributes == {
        "OBS_STATUS": "A",
        "UNIT_MULT": "0",
        "NATURE": "E",
    }
    assert {tuple(sorted(o.disaggregation.items())) for o in rows} >= {
        (("SEX", "F"),),
        (("AGE", "Y18T64"), ("SEX", "M")),
    }


def test_the_un_layout_round_trips_with_units(bare_session: Session, tmp_path: Path) -> None:
    sdg(bare_session)
    global_estimate = (
        f'<Series FREQ="A" REPORTING_TYPE="G" SERIES="SI_POV_NAHC" REF_AREA="826" SEX="_T" '
        f'AGE="_T" {REST} UNIT_MEASURE="PT"><Obs TIME_PERIOD="2013" OBS_VALUE="11.5"/></Series>'
    )
    content, count = un_file(extra=global_estimate)
    count += 1
    source = tmp_path / "un.xml"
    source.write_text(content)
    import_sdmx(bare_session, source, by=SYSTEM)
    before = snapshot(bare_session)
    exported = tmp_path / "export.xml"
    exported.write_bytes(export_observations_sdmx(bare_session))

    # only the dimensions the data use are on the keys; the unit is kept on the series
    root = etree.parse(str(exported)).getroot()
    ns = {"gen": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"}
    ids = {v.get("id") for v in root.iterfind(".//gen:SeriesKey/gen:Value", ns)}
    assert ids == {"FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE"}
    units = {
        v.get("value")
        for v in root.iterfind(".//gen:Series/gen:Attributes/gen:Value[@id='UNIT_MEASURE']", ns)
    }
    assert units == {"PT"}
    # sdmx1 reads the file back with every observation
    with exported.open("rb") as handle:
        message = sdmx.read_sdmx(handle)
    assert sum(len(d.obs) for d in message.data) == count

    assert any(dict(o[7]).get("REPORTING_TYPE") == "G" for o in before)
    for observation in list_observations(bare_session):
        bare_session.delete(observation)
    bare_session.flush()
    import_sdmx(bare_session, exported, by=SYSTEM)
    assert snapshot(bare_session) == before


def test_two_units_of_one_key_stay_two_observations(bare_session: Session, tmp_path: Path) -> None:
    sdg(bare_session)
    content, _ = un_file(places=("826",))
    path = tmp_path / "un.xml"
    path.write_text(content)
    import_sdmx(bare_session, path, by=SYSTEM)
    indicator = get_indicator(bare_session, "1-2-1")
    bare_session.add(
        Observation(
            indicator_id=indicator.id,
            geography="GBR",
            series="SI_POV_NAHC",
            unit="NUMBER",
            period="2013",
            year=2013,
            time=2013.0,
            value=4_200_000.0,
            disaggregation={},
            attributes={"UNIT_MULT": "0"},
        )
    )
    bare_session.flush()
    before = snapshot(bare_session)
    exported = tmp_path / "export.xml"
    exported.write_bytes(export_observations_sdmx(bare_session))
    assert b'<gen:Value id="UNIT_MEASURE" value="NUMBER"/>' in exported.read_bytes()
    import_sdmx(bare_session, exported, by=SYSTEM)
    assert snapshot(bare_session) == before


def test_an_indicator_attribute_names_the_indicator(bare_session: Session, tmp_path: Path) -> None:
    sdg(bare_session)
    content, count = un_file(series="XX_NATIONAL_SERIES", places=("GBR",))
    content = content.replace('UNIT_MEASURE="PT"', 'UNIT_MEASURE="PT" INDICATOR="10.c.1"')
    path = tmp_path / "national.xml"
    path.write_text(content)
    report = import_sdmx(bare_session, path, by=SYSTEM)
    assert (report.observations, report.geography) == (count, "GBR")
    assert get_indicator(bare_session, "10-c-1").series_codes == ["XX_NATIONAL_SERIES"]


def test_a_series_the_table_does_not_know_is_listed_not_fatal(
    bare_session: Session, tmp_path: Path
) -> None:
    sdg(bare_session)
    known, count = un_file(places=("826",))
    unknown, _ = un_file(series="ZZ_UNKNOWN", places=("826",))
    body = unknown.split('ss:structureRef="IAEG-SDGs_SDG_1_8">', 1)[1]
    body = body.rsplit("</message:DataSet>", 1)[0]
    path = tmp_path / "mixed.xml"
    path.write_text(known.replace("</message:DataSet>", body + "</message:DataSet>"))
    report = import_sdmx(bare_session, path, by=SYSTEM)
    assert report.observations == count
    assert len(report.problems) == count
    assert "field SERIES: unknown series code 'ZZ_UNKNOWN'" in str(report.problems[0])

    before = snapshot(bare_session)
    with pytest.raises(ValidationFailed) as caught:
        import_sdmx(bare_session, path, by=SYSTEM, strict=True)
    assert "mixed.xml: refused, nothing stored" in str(caught.value)
    assert snapshot(bare_session) == before


def test_the_series_table_names_framework_indicators_for_the_un_series() -> None:
    """The shipped table covers the series of the UN SDG Global Database, each mapped to
    indicators of the shipped SDG framework, one row per series in code order."""
    table = shipped_series()
    assert table["SI_POV_NAHC"] == ("1.2.1",)
    assert table["VC_DSR_MISS"] == ("1.5.1", "11.5.1", "13.1.1")
    assert len(table) >= 500
    framework = {i.code for i in read_sdg_folder(REFERENCE_SDG).of_level("indicator")}
    codes = {code for indicators in table.values() for code in indicators}
    assert all(re.fullmatch(r"\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}", code) for code in codes)
    assert codes - framework == set()
    with TABLE.open(encoding="utf-8", newline="") as handle:
        order = [row["series"] for row in csv.DictReader(handle)]
    assert order == sorted(set(order))


def test_a_series_of_the_full_table_imports_under_its_indicators(
    bare_session: Session, tmp_path: Path
) -> None:
    sdg(bare_session)
    content, count = un_file(series="EN_MAT_DOMCMPT", places=("826",))  # 8.4.2 and 12.2.2
    path = tmp_path / "material.xml"
    path.write_text(content)
    report = import_sdmx(bare_session, path, by=SYSTEM)
    assert (report.observations, report.indicators, report.problems) == (2 * count, 2, [])
    for code in ("8.4.2", "12.2.2"):
        indicator = get_indicator(bare_session, code)
        assert indicator.series_codes == ["EN_MAT_DOMCMPT"]
        assert len(list_observations(bare_session, indicator)) == count


def test_the_global_dsd_maps_series_the_table_lacks(bare_session: Session, tmp_path: Path) -> None:
    sdg(bare_session)
    dsd = tmp_path / "SDG_DSD.xml"
    dsd.write_text(
        """<?xml version="1.0"?>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
  xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
  xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
 <mes:Structures><str:Codelists>
  <str:Codelist agencyID="IAEG-SDGs" id="CL_SERIES" version="1.14">
   <str:Code id="EN_WBE_PMPR"><com:Annotations>
    <com:Annotation><com:AnnotationTitle>Indicator</com:AnnotationTitle>
     <com:AnnotationType>Indicator</com:AnnotationType>
     <com:AnnotationText xml:lang="en">6.6.1</com:AnnotationText></com:Annotation>
    <com:Annotation><com:AnnotationTitle>Indicator</com:AnnotationTitle>
     <com:AnnotationText xml:lang="en">15.1.2</com:AnnotationText></com:Annotation>
   </com:Annotations><com:Name xml:lang="en">A series of two indicators</com:Name></str:Code>
  </str:Codelist>
 </str:Codelists></mes:Structures>
</mes:Structure>"""
    )
    content, count = un_file(series="EN_WBE_PMPR", places=("826",))
    path = tmp_path / "wetlands.xml"
    path.write_text(content)
    with pytest.raises(ValidationFailed, match="unknown series code 'EN_WBE_PMPR'"):
        import_sdmx(bare_session, path, by=SYSTEM)
    report = import_sdmx(bare_session, path, by=SYSTEM, structure=dsd)
    assert (report.observations, report.indicators) == (2 * count, 2)
    assert len(list_observations(bare_session, get_indicator(bare_session, "15.1.2"))) == count


def test_a_place_that_is_not_a_country_is_named(bare_session: Session, tmp_path: Path) -> None:
    sdg(bare_session)
    content, count = un_file(places=("826", "419"))  # 419: Latin America and the Caribbean
    path = tmp_path / "regions.xml"
    path.write_text(content)
    report = import_sdmx(bare_session, path, by=SYSTEM)
    assert report.observations == count // 2
    assert report.geography == "GBR"
    assert "field REF_AREA: '419' is not a country of the registry (M49, ISO3 or ISO2 code)" in str(
        report.problems[0]
    )


def test_a_repeated_key_and_period_is_listed_once_kept_once(
    bare_session: Session, tmp_path: Path
) -> None:
    sdg(bare_session)
    repeat = (
        f'<Series FREQ="A" REPORTING_TYPE="N" SERIES="SI_POV_NAHC" REF_AREA="GBR" SEX="_T" '
        f'AGE="_T" {REST} UNIT_MEASURE="PT"><Obs TIME_PERIOD="2013" OBS_VALUE="99"/></Series>'
    )
    content, count = un_file(places=("826",), extra=repeat)
    path = tmp_path / "twice.xml"
    path.write_text(content)
    report = import_sdmx(bare_session, path, by=SYSTEM)
    assert report.observations == count
    assert "repeats the key and period of twice.xml data set 1 observation 2" in str(
        report.problems[0]
    )


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (
            un_file()[0].replace('SERIES="SI_POV_NAHC" REF_AREA=', 'CURRENCY="EUR" AREA='),
            "unknown structure: its observations are keyed by FREQ, REPORTING_TYPE, CURRENCY, AREA",
        ),
        (
            """<?xml version="1.0"?>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
 <mes:Header><mes:ID>X</mes:ID><mes:Test>false</mes:Test>
 <mes:Prepared>2024-01-01T00:00:00</mes:Prepared><mes:Sender id="X"/></mes:Header>
</mes:Structure>""",
            "holds no data set (an SDMX StructureMessage)",
        ),
        ("name,value\n1,2\n", "is not SDMX-ML data"),
    ],
)
def test_a_file_of_an_unknown_structure_is_refused_and_nothing_is_lost(
    bare_session: Session, tmp_path: Path, content: str, what: str
) -> None:
    sdg(bare_session)
    good, _ = un_file()
    (tmp_path / "good.xml").write_text(good)
    import_sdmx(bare_session, tmp_path / "good.xml", by=SYSTEM)
    before = snapshot(bare_session)
    indicators = bare_session.scalar(select(func.count()).select_from(Indicator))
    path = tmp_path / "other.xml"
    path.write_text(content)
    with pytest.raises(ValidationFailed) as caught:
        import_sdmx(bare_session, path, by=SYSTEM)
    message = str(caught.value)
    assert message.startswith("other.xml: refused, nothing stored")
    assert what in message
    assert "expected" in message
    assert "the UN SDG layout" in message
    assert snapshot(bare_session) == before
    assert bare_session.scalar(select(func.count()).select_from(Indicator)) == indicators


def test_the_command_lists_what_it_skipped_and_strict_refuses(cli_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}
    content, count = un_file(places=("826", "999"))  # 999 names no country
    path = tmp_path / "un.xml"
    path.write_text(content)
    result = runner.invoke(app, ["review", "import-sdmx", "--strict", str(path)], env=env)
    assert result.exit_code != 0
    assert "un.xml: refused, nothing stored" in result.output
    result = runner.invoke(app, ["review", "import-sdmx", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert f"Imported {count // 2} observations of 1 indicators for GBR" in result.output
    assert f"Skipped, {count // 2} problem(s):" in result.output
    assert "field REF_AREA: '999' is not a country of the registry" in result.output
    out = tmp_path / "export.xml"
    result = runner.invoke(
        app,
        ["review", "export", "--indicator", "1.2.1", "--format", "sdmx", "--out", str(out)],
        env=env,
    )
    assert result.exit_code == 0, result.output
    # the command database is shared with other commands' tests: count what it holds for 1.2.1
    engine = create_db_engine(cli_db)
    with Session(engine) as session:
        stored = session.scalar(
            select(func.count(Observation.id))
            .join(Indicator, Indicator.id == Observation.indicator_id)
            .where(Indicator.sdg_code == "1.2.1")
        )
    engine.dispose()
    assert stored is not None
    assert stored >= count // 2
    assert f"Wrote {stored} observations to {out}." in result.output


# The names the writer gives the key and the observation itself (FREQ, REPORTING_TYPE, SERIES,
# REF_AREA, TIME_PERIOD, OBS_VALUE) are not a platform's breakdowns or attributes: a column so
# named would be read back as the key's own (Hypothesis draws such names from the code's constants).
_OWN = {"FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "TIME_PERIOD", "OBS_VALUE"}
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda t: t.strip() == t and t != "_T" and t not in _OWN
)


_BREAKDOWNS = ["SEX", "AGE", "NATURE", "SERIES", "INCOME WEALTH QUANTILE", "A_B", "Industry sector"]
_ATTRIBUTES = ["OBS_STATUS", "UNIT_MULT", "COMMENT_OBS", "Comment (obs)", "A_B"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dictionaries(_TEXT | st.sampled_from(_BREAKDOWNS), _TEXT, max_size=3),
            st.dictionaries(_TEXT | st.sampled_from(_ATTRIBUTES), _TEXT, max_size=2),
            st.sampled_from(["", "PT", "Number of people"]),  # unit
            st.sampled_from(["2015", "2016", "2021 Q3", "2002/03"]),
            st.floats(allow_nan=False, allow_infinity=False, width=32),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_any_observations_read_back_as_written(
    rows: list[tuple[dict[str, str], dict[str, str], str, str, float]],
) -> None:
    """Whatever names and values a platform's breakdowns and attributes have, the written file
    reads back to the same observations (names that look like SDG DSD ids included)."""
    # a column of a platform's data is a breakdown or an attribute, never both
    breakdowns = {k for b, *_ in rows for k in b}
    unique = {
        (tuple(sorted(b.items())), unit, period): (
            b,
            {k: v for k, v in a.items() if k not in breakdowns},
            unit,
            period,
            value,
        )
        for b, a, unit, period, value in rows
    }
    written = [
        ExportRow("GBR", "SI_POV_NAHC", unit, period, float(value), b, a)
        for b, a, unit, period, value in unique.values()
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.xml"
        with path.open("wb") as handle:
            write_sdmx([("1-2-1", written)], handle)
        found = read_sdmx_file(path)
    assert found.problems == []

    def shown(
        b: dict[str, str], a: dict[str, str], unit: str, period: str, value: float
    ) -> tuple[object, ...]:
        kept = {k: v for k, v in a.items() if k not in {"INDICATOR", "UNIT_MEASURE"}}
        return (unit, period, value, sorted(b.items()), sorted(kept.items()))

    assert sorted(
        shown(o.disaggregation, o.attributes, o.unit, o.period.label, o.value)
        for o in found.observations
    ) == sorted(shown(r.disaggregation, r.attributes, r.unit, r.period, r.value) for r in written)
    assert {o.indicator for o in found.observations} == {"1-2-1"}


def test_the_api_gives_one_country_in_the_un_layout(
    bare_session: Session, bare_client: TestClient, tmp_path: Path
) -> None:
    sdg(bare_session)
    content, count = un_file()
    path = tmp_path / "un.xml"
    path.write_text(content)
    import_sdmx(bare_session, path, by=SYSTEM)
    response = bare_client.get(
        "/api/v1/review/observations/export", params={"format": "sdmx", "country": "MEX"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"
    exported = tmp_path / "mexico.xml"
    exported.write_bytes(response.content)
    found = read_sdmx_file(exported)
    assert len(found.observations) == count // 2
    assert {(o.geography, o.unit, o.series) for o in found.observations} == {
        ("MEX", "PT", "SI_POV_NAHC")
    }
