"""SDMX-ML: a hand-written generic data file, bad input, and the export read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.review.models import Observation
from stocktake.review.sdmx import decode_id, encode_id
from stocktake.review.services.indicators import (
    export_observations_sdmx,
    get_indicator,
    import_opensdg,
    import_sdmx,
    list_observations,
)
from tests.conftest import SHARED
from tests.factories.frameworks import sdg

SYSTEM = Principal.system()


def generic(observations: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mes:GenericData xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    xmlns:gen="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
    xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
  <mes:Header>
    <mes:ID>REMITTANCES</mes:ID><mes:Test>false</mes:Test>
    <mes:Prepared>2024-01-01T00:00:00</mes:Prepared><mes:Sender id="MEX"/>
    <mes:Structure structureID="SDG" dimensionAtObservation="TIME_PERIOD">
      <com:Structure><Ref agencyID="UN" id="SDG" version="1.0"/></com:Structure>
    </mes:Structure>
  </mes:Header>
  <mes:DataSet structureRef="SDG">
    <gen:Series>
      <gen:SeriesKey>
        <gen:Value id="INDICATOR" value="10.c.1"/>
        <gen:Value id="REF_AREA" value="484"/>
        <gen:Value id="FREQ" value="A"/>
        <gen:Value id="SEX" value="_T"/>
      </gen:SeriesKey>
      {observations}
    </gen:Series>
  </mes:DataSet>
</mes:GenericData>
"""


def _indicators(session: Session) -> None:
    """The SDG framework and the UK's Open SDG folder, which gives the indicators and their
    observations."""
    sdg(session)
    import_opensdg(session, SHARED / "data" / "opensdg-uk", by=SYSTEM)


def obs(period: str, value: str) -> str:
    return f'<gen:Obs><gen:ObsDimension value="{period}"/><gen:ObsValue value="{value}"/></gen:Obs>'


def test_a_hand_written_generic_file_imports(bare_session: Session, tmp_path: Path) -> None:
    _indicators(bare_session)
    path = tmp_path / "mexico.xml"
    path.write_text(generic(obs("2016", "5.9") + obs("2020", "4.2") + obs("2021-Q3", "4.0")))
    report = import_sdmx(bare_session, path, by=SYSTEM)
    assert (report.observations, report.indicators, report.geography) == (3, 1, "MEX")
    rows = [
        o
        for o in list_observations(bare_session, get_indicator(bare_session, "10-c-1"))
        if o.geography == "MEX"
    ]
    assert [(o.period, o.value, o.disaggregation) for o in rows] == [
        ("2016", 5.9, {}),
        ("2020", 4.2, {}),
        ("2021 Q3", 4.0, {}),
    ]


@pytest.mark.parametrize(
    ("content", "where", "what"),
    [
        (
            generic(obs("2016", "many")),
            "observation 1, field OBS_VALUE",
            "'many' is not a finite number",
        ),
        (generic(obs("soon", "1")), "observation 1, field TIME_PERIOD", "'soon' is not a period"),
        (
            generic(obs("2016", "1")).replace('value="10.c.1"', 'value="99.z.9"'),
            "observation 1, field INDICATOR",
            "unknown indicator code '99.z.9'",
        ),
        ("<not-sdmx/>", "bad.xml", "is not SDMX-ML data"),
    ],
)
def test_bad_sdmx_is_refused_whole(
    bare_session: Session, tmp_path: Path, content: str, where: str, what: str
) -> None:
    _indicators(bare_session)
    path = tmp_path / "bad.xml"
    path.write_text(content)
    before = bare_session.scalar(select(func.count()).select_from(Observation))
    with pytest.raises(ValidationFailed) as caught:
        import_sdmx(bare_session, path, by=SYSTEM)
    assert where in str(caught.value)
    assert what in str(caught.value)
    assert bare_session.scalar(select(func.count()).select_from(Observation)) == before


def test_the_export_reads_back_unchanged(bare_session: Session, tmp_path: Path) -> None:
    _indicators(bare_session)

    def snapshot() -> list[tuple[object, ...]]:
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
            for code in ("10-c-1", "8-8-1")
            for o in list_observations(bare_session, get_indicator(bare_session, code))
        )

    before = snapshot()
    path = tmp_path / "export.xml"
    for code in ("10-c-1", "8-8-1"):
        path.write_bytes(export_observations_sdmx(bare_session, get_indicator(bare_session, code)))
        import_sdmx(bare_session, path, by=SYSTEM)
    assert snapshot() == before
    assert len(before) > 800


def test_disaggregation_names_survive_as_ids() -> None:
    for name in ("Industry sector", "Type_of abuse", "Age (years) – 16+", "性别", "🌍 region"):
        assert decode_id(encode_id(name)) == name


def test_commands_export_and_import_sdmx(cli_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db}
    uk = Path(__file__).resolve().parents[3] / "shared" / "data" / "opensdg-uk"
    assert runner.invoke(app, ["review", "import-opensdg", str(uk)], env=env).exit_code == 0
    out = tmp_path / "10-c-1.xml"
    result = runner.invoke(
        app,
        # the commands' database may hold other countries' data of the indicator too
        [
            "review",
            "export",
            "--indicator",
            "10-c-1",
            "--country",
            "GBR",
            "--format",
            "sdmx",
            "--out",
            str(out),
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert b"<mes:GenericData" in out.read_bytes()
    result = runner.invoke(app, ["review", "import-sdmx", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert "Imported 39 observations of 1 indicators for GBR" in result.output
