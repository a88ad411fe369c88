"""The "where did our inputs go?" report as a file: CSV (one row per input), a Word document and a
standalone HTML page, all from the same rows."""

from __future__ import annotations

import io
from html import escape

from stocktake.core.spreadsheets import csv_text
from stocktake.core.untrusted import xml_safe
from stocktake.site.thread.inputs import InputFate, InputsReport

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}
HEADER = [
    "input",
    "title",
    "submitted",
    "status",
    "outcome",
    "cluster",
    "cited in the summary",
    "reflected in",
]

COLUMN_CM = [1.4, 6.2, 2.4, 2.6, 3.0, 4.9, 2.2, 3.0]
"""The columns' widths on landscape A4 less its margins (25.7 cm), the title and cluster widest."""


def _row(fate: InputFate) -> list[str]:
    record = fate.record
    return [
        str(record.id),
        record.title or " ".join(record.text.split()[:12]),
        f"{record.submitted_at:%Y-%m-%d}" if record.submitted_at else "",
        record.status
        + (f" on {record.updated_at:%Y-%m-%d}" if fate.withdrawn and record.updated_at else ""),
        fate.outcome,
        f"{fate.cluster_number}: {fate.cluster}" if fate.cluster else "",
        ", ".join(fate.cited),
        "; ".join(r.where for r in fate.reflections),
    ]


def _title(report: InputsReport) -> str:
    return f"Where did the inputs of {report.actor.display_name} go?"


def _lead(report: InputsReport) -> str:
    counts = ", ".join(f"{n} {o}" for o, n in report.counts().items() if n)
    return (
        f"{len(report.fates)} inputs: {counts or 'none'}. As of {report.when:%d %B %Y %H:%M} UTC."
    )


def report_csv(report: InputsReport) -> bytes:
    return csv_text(HEADER, [_row(f) for f in report.fates]).encode("utf-8")


def report_html(report: InputsReport) -> bytes:
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in _row(f)) + "</tr>"
        for f in report.fates
    )
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in HEADER)
    page = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(_title(report))}</title>"
        "<style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:.25rem;vertical-align:top;text-align:left}"
        ".wrap{overflow-x:auto}</style></head><body>"
        f"<h1>{escape(_title(report))}</h1><p>{escape(_lead(report))}</p>"
        f'<div class="wrap"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        "</div></body></html>\n"
    )
    return page.encode("utf-8")


def report_docx(report: InputsReport) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = Document()
    # A4 across, so that eight columns keep their words whole
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.add_heading(xml_safe(_title(report)), level=0)
    document.add_paragraph(xml_safe(_lead(report)))
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_CM, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads; Word reads the cells'
    rows = [(HEADER, True)] + [([xml_safe(t) for t in _row(f)], False) for f in report.fates]
    for index, (texts, header) in enumerate(rows):
        cells = table.rows[0].cells if index == 0 else table.add_row().cells
        for cell, text, width in zip(cells, texts, COLUMN_CM, strict=True):
            cell.width = Cm(width)
            run = cell.paragraphs[0].add_run(text)
            run.font.size, run.bold = Pt(9), header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def export_report(report: InputsReport, fmt: str) -> tuple[bytes, str, str]:
    """The report's bytes, media type and file name in a format of `FORMATS`."""
    body = {"csv": report_csv, "docx": report_docx, "html": report_html}[fmt](report)
    return body, FORMATS[fmt], f"inputs-{report.actor.code}.{fmt}"
