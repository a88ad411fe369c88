from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.audit.models import AuditEvent
from stocktake.consultation.files import read_inputs, write_inputs
from stocktake.consultation.models import Input
from stocktake.consultation.services import import_inputs
from stocktake.consultation.services.queries import InputFilter, iter_inputs
from stocktake.core.errors import PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.process.services import get_process
from tests.factories.meetings import meeting
from tests.factories.registry import organisation

GOOD_CSV = """external_id,submitter,title,text,dimensions,input_types,references,meeting,status
R-1,KEN,Portability,Make pensions portable between countries of the region.,regional; national,actionable_commitment,SDG 10.7; ILO-C143,regional-eca-2017,published
R-2,Philippines,,Protect domestic workers abroad with enforceable contracts.,human,Actionable commitment,ILO-C189,,submitted
R-3,CSO-KEN-001,Diaspora bonds,Les obligations de la diaspora financent le développement local.,community,means_of_implementation,,,
"""


def run(session: Session, content: bytes, name: str) -> tuple[int, int]:
    rows = read_inputs(content, name)
    report = import_inputs(session, get_process(session), rows, by=Principal.system(), source=name)
    return report.created, report.unchanged


def count(session: Session) -> int:
    return session.scalar(select(func.count(Input.id))) or 0


def rows_refer_to(session: Session) -> None:
    """What the rows of GOOD_CSV name besides states: a meeting and an organisation."""
    meeting(
        session,
        get_process(session),
        meeting_type="regional_consultation",
        start=dt.date(2017, 10, 26),
        days=2,
        slug="regional-eca-2017",
    )
    organisation(session, code="CSO-KEN-001")


def test_a_csv_imports_every_row_and_a_second_import_changes_nothing(bare_session: Session) -> None:
    rows_refer_to(bare_session)
    before = count(bare_session)
    assert run(bare_session, GOOD_CSV.encode(), "regional.csv") == (3, 0)
    assert count(bare_session) == before + 3
    kenya = bare_session.scalar(select(Input).where(Input.external_id == "R-1"))
    assert kenya is not None
    assert (kenya.actor.code, kenya.status, kenya.language, kenya.channel) == (
        "KEN",
        "published",
        "en",
        "import",
    )
    assert kenya.tag_keys("dimensions") == ["regional", "national"]
    assert {(r.scheme, r.code) for r in kenya.references} == {("sdg", "10.7"), ("hr", "ILO-C143")}
    french = bare_session.scalar(select(Input).where(Input.external_id == "R-3"))
    assert french is not None
    assert french.language == "fr"
    events = bare_session.scalar(select(func.count(AuditEvent.id)))
    assert run(bare_session, GOOD_CSV.encode(), "regional.csv") == (0, 3)
    assert count(bare_session) == before + 3
    assert bare_session.scalar(select(func.count(AuditEvent.id))) == events


def test_rows_without_external_id_are_recognised_by_submitter_and_text(
    bare_session: Session,
) -> None:
    content = b"submitter,text\nKEN,Open more consular offices along migration routes.\n"
    assert run(bare_session, content, "a.csv") == (1, 0)
    spaced = b"submitter,text\nKEN,  open MORE consular offices   along migration routes.\n"
    assert run(bare_session, spaced, "b.csv") == (0, 1)


def test_a_bad_file_is_refused_whole_with_a_report_naming_every_row_and_field(
    bare_session: Session,
) -> None:
    rows_refer_to(bare_session)
    before = count(bare_session)
    bad = GOOD_CSV + (
        "R-4,Atlantis,,Some text,human,,,,\n"
        "R-5,KEN,,,human,,,,\n"
        "R-6,KEN,,Text,outer space,wish,SDG 99,moon-2017,\n"
        "R-1,KEN,,Same external id again,,,,,\n"
        "R-7,KEN,,Text,,,,,published-yesterday\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        run(bare_session, bad.encode(), "bad.csv")
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        "row 5, field submitter: 'Atlantis' is not in the registry",
        "row 6, field text: is empty",
        "row 7, field meeting: unknown meeting 'moon-2017'",
        "row 7, field dimensions: unknown dimension 'outer space'",
        "row 7, field input_types: unknown input type 'wish'",
        "row 7, field references: 'SDG 99' is neither an SDG goal, target or indicator nor a known instrument",
        "row 8, field external_id: duplicate external id 'R-1' (also row 2)",
        "row 9, field status: 'published-yesterday' is not one of draft, submitted, published",
    ]
    assert count(bare_session) == before


def test_unreadable_files_are_refused_with_the_place_named() -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_inputs(b"submitter,text\nKEN,ok\nKEN,caf\xe9\n", "latin1.csv")
    assert str(caught.value.problems[0]) == "line 3: invalid UTF-8 at byte 29"
    with pytest.raises(ValidationFailed, match="not a readable XLSX workbook"):
        read_inputs(b"PK\x03\x04 this is not a workbook", "broken.xlsx")
    with pytest.raises(ValidationFailed) as caught:
        read_inputs(b'[{"submitter": "KEN", "text": "a"},\n {"submitter": }]', "broken.json")
    assert str(caught.value.problems[0]).startswith("line 2, column 16: not valid JSON")
    with pytest.raises(ValidationFailed, match="unknown column 'colour'"):
        read_inputs(b"submitter,text,colour\nKEN,a,red\n", "extra.csv")
    with pytest.raises(ValidationFailed, match="required column 'text' is missing"):
        read_inputs(b"submitter,body\nKEN,a\n", "missing.csv")
    with pytest.raises(ValidationFailed, match="unknown file format 'txt'"):
        read_inputs(b"submitter,text\n", "inputs.txt")
    with pytest.raises(ValidationFailed, match="item 2: is not an object"):
        read_inputs(b'[{"submitter": "KEN", "text": "a"}, 3]', "list.json")


def test_xlsx_and_json_import(bare_session: Session) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["submitter", "text", "dimensions", "external_id", "submitted_at"])
    sheet.append(
        [
            "MEX",
            "Regularise migrants who have lived in the country for five years.",
            "national",
            7001,
            "2017-06-19",
        ]
    )
    sheet.append([None, None, None, None, None])
    sheet.append(
        [
            "BRA",
            "Garantir o acesso dos migrantes ao sistema de saúde.",
            "human; national",
            "X-2",
            None,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run(bare_session, buffer.getvalue(), "cards.xlsx") == (2, 0)
    mexico = bare_session.scalar(select(Input).where(Input.external_id == "7001"))
    assert mexico is not None
    assert mexico.submitted_at is not None
    assert mexico.submitted_at.date().isoformat() == "2017-06-19"
    brazil = bare_session.scalar(select(Input).where(Input.external_id == "X-2"))
    assert brazil is not None
    assert brazil.language == "pt"
    payload = {
        "inputs": [
            {
                "submitter": "CHN",
                "text": "加强移民数据的收集和分析。",
                "dimensions": ["global"],
                "references": ["17.18"],
            }
        ]
    }
    assert run(bare_session, json.dumps(payload, ensure_ascii=False).encode(), "api.json") == (1, 0)
    with pytest.raises(ValidationFailed, match="item 1, field title: must be a single value"):
        read_inputs(
            json.dumps([{"submitter": "KEN", "text": "a", "title": ["x"]}]).encode(), "bad.json"
        )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_imports_again_without_change(session: Session, fmt: str) -> None:
    process = get_process(session)
    records = iter_inputs(session, process, InputFilter(language="ru"), by=Principal.system())
    assert len(records) > 10
    buffer = io.BytesIO()
    assert write_inputs(records, fmt, buffer) == len(records)
    rows = read_inputs(buffer.getvalue(), f"export.{fmt}")
    assert len(rows) == len(records)
    assert {data.text for _, data in rows} == {r.text for r in records}
    report = import_inputs(session, process, rows, by=Principal.system(), source=f"export.{fmt}")
    assert (report.created, report.unchanged) == (0, len(records))


def test_only_the_secretariat_imports(bare_session: Session) -> None:
    rows = read_inputs(GOOD_CSV.encode(), "regional.csv")
    with pytest.raises(PermissionDenied):
        import_inputs(
            bare_session,
            get_process(bare_session),
            rows,
            by=Principal(role=Role.DELEGATION_MEMBER, user_id=1, actor_id=1),
            source="x",
        )
    with pytest.raises(ValidationFailed, match="no rows"):
        import_inputs(
            bare_session, get_process(bare_session), [], by=Principal.system(), source="empty.csv"
        )
