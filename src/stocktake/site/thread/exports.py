"""The "where did our inputs go?" report as a file: CSV (one row per input), a Word document and a
standalone HTML page, all from the same rows. The Word document and the HTML page are made for
reading, in the requester's language (their title, lead, column headings, statuses, outcomes and
dates); the CSV is data, with the same English column names and values in every language."""

from __future__ import annotations

from html import escape

from stocktake.core.paper import Layout, finish, new_paper
from stocktake.core.spreadsheets import csv_text
from stocktake.core.translation import (
    DEFAULT_LANGUAGE,
    RIGHT_TO_LEFT_LANGUAGES,
    catalog,
    format_day,
    translatable,
    translatable_plural,
)
from stocktake.core.untrusted import xml_safe
from stocktake.process.services import process_name_of
from stocktake.registry.names import actor_name
from stocktake.site.thread.inputs import InputFate, InputsReport, Reflection
from stocktake.web.names import INPUT_STATUSES, OUTCOMES

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

HEADINGS = [
    translatable("Input"),
    translatable("Title"),
    translatable("Submitted"),
    translatable("Status"),
    translatable("What became of it"),
    translatable("Cluster"),
    translatable("Cited in the summary"),
    translatable("Reflected in"),
]
"""The columns' headings in the documents made for reading (the CSV keeps `HEADER`)."""

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


def _title(report: InputsReport, language: str = DEFAULT_LANGUAGE) -> str:
    text = catalog(language).gettext(translatable("Where did the inputs of %(actor)s go?"))
    return text % {"actor": actor_name(report.actor, language)}


def _lead(report: InputsReport, language: str = DEFAULT_LANGUAGE) -> str:
    words = catalog(language)
    if language == DEFAULT_LANGUAGE:  # as it always read
        counts = ", ".join(f"{n} {o}" for o, n in report.counts().items() if n)
        return (
            f"{len(report.fates)} inputs: {counts or 'none'}. "
            f"As of {report.when:%d %B %Y %H:%M} UTC."
        )
    each = words.gettext(translatable("%(outcome)s: %(num)s"))
    counts = "; ".join(
        each % {"outcome": words.gettext(OUTCOMES.get(o, o)), "num": n}
        for o, n in report.counts().items()
        if n
    )
    singular, plural = translatable_plural(
        "%(num)s input (%(outcomes)s). As of %(day)s %(time)s UTC.",
        "%(num)s inputs (%(outcomes)s). As of %(day)s %(time)s UTC.",
    )
    return words.ngettext(singular, plural, len(report.fates)) % {
        "num": len(report.fates),
        "outcomes": counts or words.gettext("none"),
        "day": format_day(report.when.date(), language),
        "time": f"{report.when:%H:%M}",
    }


def _where(reflection: Reflection, language: str) -> str:
    """Where an input is reflected, in the language (`Reflection.where` in English)."""
    words = catalog(language)
    values = {
        "number": reflection.number or reflection.eid,
        "draft": reflection.draft_title,
        "revisions": ", ".join(reflection.revisions),
        "removed": reflection.removed_in,
    }
    if reflection.removed_in and reflection.revisions:
        text = translatable(
            "paragraph %(number)s of %(draft)s (%(revisions)s), removed in %(removed)s"
        )
    elif reflection.removed_in:
        text = translatable(
            "paragraph %(number)s of %(draft)s (working text), removed in %(removed)s"
        )
    elif reflection.revisions:
        text = translatable("paragraph %(number)s of %(draft)s (%(revisions)s)")
    else:
        text = translatable("paragraph %(number)s of %(draft)s (working text)")
    return str(words.gettext(text) % values)


def _read_row(fate: InputFate, language: str) -> list[str]:
    """A row of a document made for reading: the CSV's row in the language."""
    if language == DEFAULT_LANGUAGE:
        return _row(fate)
    words = catalog(language)
    record = fate.record
    status = words.gettext(INPUT_STATUSES.get(record.status, record.status))
    if fate.withdrawn and record.updated_at:
        status = words.gettext(translatable("withdrawn on %(day)s")) % {
            "day": format_day(record.updated_at.date(), language)
        }
    return [
        str(record.id),
        record.title or " ".join(record.text.split()[:12]),
        format_day(record.submitted_at.date(), language) if record.submitted_at else "",
        status,
        words.gettext(OUTCOMES.get(fate.outcome, fate.outcome)),
        f"{fate.cluster_number}: {fate.cluster}" if fate.cluster else "",
        ", ".join(words.gettext("summary") if c == "summary" else c for c in fate.cited),
        "; ".join(_where(r, language) for r in fate.reflections),
    ]


def _headings(language: str) -> list[str]:
    if language == DEFAULT_LANGUAGE:
        return HEADER
    return [catalog(language).gettext(h) for h in HEADINGS]


def report_csv(report: InputsReport) -> bytes:
    return csv_text(HEADER, [_row(f) for f in report.fates]).encode("utf-8")


def report_html(report: InputsReport, language: str = DEFAULT_LANGUAGE) -> bytes:
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in _read_row(f, language)) + "</tr>"
        for f in report.fates
    )
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in _headings(language))
    direction = "rtl" if language in RIGHT_TO_LEFT_LANGUAGES else "ltr"
    page = (
        f'<!doctype html>\n<html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(_title(report, language))}</title>"
        "<style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:.25rem;vertical-align:top;text-align:start}"
        ".wrap{overflow-x:auto}</style></head><body>"
        f"<h1>{escape(_title(report, language))}</h1><p>{escape(_lead(report, language))}</p>"
        f'<div class="wrap"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        "</div></body></html>\n"
    )
    return page.encode("utf-8")


def report_docx(report: InputsReport, language: str = DEFAULT_LANGUAGE) -> bytes:
    from docx.shared import Cm, Pt

    # A4 across, so that eight columns keep their words whole
    title = xml_safe(_title(report, language))
    issuer = report.summary or (report.fates[0].record if report.fates else None)
    author = process_name_of(issuer) if issuer is not None else ""
    document = new_paper(Layout(title, language, landscape=True, author=author))
    section = document.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.add_heading(title, level=0)
    document.add_paragraph(xml_safe(_lead(report, language)))
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_CM, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads; Word reads the cells'
    rows = [(_headings(language), True)] + [
        ([xml_safe(t) for t in _read_row(f, language)], False) for f in report.fates
    ]
    for index, (texts, header) in enumerate(rows):
        cells = table.rows[0].cells if index == 0 else table.add_row().cells
        for cell, text, width in zip(cells, texts, COLUMN_CM, strict=True):
            cell.width = Cm(width)
            run = cell.paragraphs[0].add_run(text)
            run.font.size, run.bold = Pt(9), header
    return finish(document)


def export_report(
    report: InputsReport, fmt: str, language: str = DEFAULT_LANGUAGE
) -> tuple[bytes, str, str]:
    """The report's bytes, media type and file name in a format of `FORMATS`; the documents made
    for reading (Word, HTML) in the language, the CSV as data."""
    if fmt == "csv":
        body = report_csv(report)
    else:
        body = {"docx": report_docx, "html": report_html}[fmt](report, language)
    return body, FORMATS[fmt], f"inputs-{report.actor.code}.{fmt}"
