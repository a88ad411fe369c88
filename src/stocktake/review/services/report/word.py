"""The cycle's report as a Word document: the same sections as the page, each chart given as its
table (the values by year)."""

from __future__ import annotations

import io
from typing import Any

from stocktake.review.models import Pledge
from stocktake.review.services.cycles import SCOPES, scope_name
from stocktake.review.services.mapping import SUPPORT_KINDS
from stocktake.review.services.pledges import STATUSES, formatted_amount
from stocktake.review.services.report.build import (
    CycleReport,
    IndicatorLine,
    ObjectiveSection,
    pledge_actors,
)
from stocktake.review.services.report.narrative import Narrative


def _value(value: float) -> str:
    return f"{value:,.6g}"


def values_by_year(line: IndicatorLine) -> str:
    """A chart's values as text: `2015: 4.1; 2018: 3.6; 2022: 3.2`."""
    return "; ".join(f"{_year(t)}: {_value(v)}" for t, v in line.points)


def _year(time: float) -> str:
    whole = int(time)
    return str(whole) if time == whole else f"{time:g}"


def pledge_row(pledge: Pledge) -> list[str]:
    return [
        pledge.title,
        ", ".join(a.display_name for a in pledge_actors(pledge)),
        formatted_amount(pledge.amount, pledge.currency) or "—",
        f"{pledge.start_year}–{pledge.end_year}",
        STATUSES[pledge.status],
    ]


def _section(document: Any, section: ObjectiveSection) -> None:
    objective = section.objective
    document.add_heading(f"Objective {objective.number}: {objective.title}", level=2)
    if section.is_empty and not section.without_data:
        document.add_paragraph("Nothing reported for this objective in this scope yet.")
        return
    document.add_heading("Pledges", level=3)
    _table(
        document,
        ["Pledge", "By", "Amount", "Timeframe", "Status"],
        [pledge_row(p) for p in section.pledges],
    )
    document.add_heading("Indicators with data", level=3)
    _table(
        document,
        ["Indicator", "Country", "Latest", "Progress", "Values by year"],
        [
            [
                f"{line.code} {line.title}".strip(),
                line.country,
                line.coverage.latest,
                line.status_label,
                values_by_year(line) + (f" ({line.unit})" if line.unit else ""),
            ]
            for line in section.indicators
        ],
    )
    if section.without_data:
        document.add_paragraph(f"No data in this scope for {', '.join(section.without_data)}.")
    if section.practices:
        document.add_heading("Practices", level=3)
        for practice in section.practices:
            document.add_paragraph(
                f"{practice.title} ({practice.actor.display_name})", style="List Bullet"
            )
    if section.matches or section.answered:
        document.add_heading("Capacity matched", level=3)
        for m in section.matches:
            document.add_paragraph(
                f"{SUPPORT_KINDS[m.need.kind]}: {m.need.actor.display_name} needs, "
                f"{m.offer.actor.display_name} offers",
                style="List Bullet",
            )
        for need, pledges in section.answered:
            document.add_paragraph(
                f"{SUPPORT_KINDS[need.kind]}: {need.actor.display_name}'s need answered by "
                + "; ".join(f"{p.title} ({p.actor.display_name})" for p in pledges),
                style="List Bullet",
            )


def cycle_report_docx(report: CycleReport, narrative: Narrative) -> bytes:
    """The report as a Word document."""
    from docx import Document  # python-docx: imported when a document is written

    document = Document()
    cycle = report.cycle
    place = scope_name(cycle)
    document.add_heading(f"Progress report: {cycle.title}", level=0)
    document.add_paragraph(
        f"{SCOPES[cycle.scope]} review{f' ({place})' if place else ''}, "
        f"{cycle.start_date:%d %B %Y} – {cycle.end_date:%d %B %Y}. "
        f"Generated on {report.generated_on:%d %B %Y} from the published data."
    )
    document.add_heading("In brief", level=1)
    document.add_paragraph(narrative.text)
    document.add_heading("By objective", level=1)
    for section in report.sections:
        _section(document, section)
    document.add_heading("Indicators with data, by country and years", level=1)
    _table(
        document,
        ["Indicator", "Country", "First", "Latest", "Periods"],
        [[c.indicator, c.country, c.first, c.latest, str(c.periods)] for c in report.coverage],
    )
    document.add_heading("Indicators by progress status", level=1)
    _table(
        document,
        ["Status", "Indicators"],
        [[k, str(v)] for k, v in report.indicator_statuses.items()],
    )
    document.add_heading("Pledges by status", level=1)
    _table(
        document, ["Status", "Pledges"], [[k, str(v)] for k, v in report.pledge_statuses.items()]
    )
    document.add_heading("Voluntary reports", level=1)
    for item in report.reports:
        document.add_paragraph(
            f"{item.actor.display_name}, objective {item.objective.number}: {item.text}"
        )
    if not report.reports:
        document.add_paragraph("None yet.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    if not rows:
        document.add_paragraph("None yet.")
        return
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
