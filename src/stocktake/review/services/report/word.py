"""The cycle's report as a Word document: the same sections as the page, each chart given as its
table (the values by year, with their unit). Its headings, labels, numbers, amounts and dates are
written as the requester's language writes them (the texts are marked for the review catalogs), its
countries named in that language (`registry/names.py`), the objectives' titles in that language
where the process definition gives them, the indicators' titles and common units in that language
where the SDG framework and the catalogs have them; the narrative, other titles and
organisations' names stay as written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stocktake.core.paper import Layout, finish, new_paper
from stocktake.core.translation import catalog, written_day, written_days, written_number
from stocktake.process.services import process_name_of
from stocktake.registry.names import actor_name, country_name
from stocktake.review.models import Pledge
from stocktake.review.services.cycles import SCOPES, scope_name
from stocktake.review.services.indicators.titles import unit_in
from stocktake.review.services.mapping import SUPPORT_KINDS
from stocktake.review.services.pledges import STATUSES
from stocktake.review.services.report.build import (
    CycleReport,
    IndicatorLine,
    ObjectiveSection,
    pledge_makers,
)
from stocktake.review.services.report.narrative import Narrative, written_amount

Gettext = Callable[[str], str]


def _english(message: str) -> str:
    return message


_COLONS = {"fr": "\u202f: ", "zh": "："}
_SEMICOLONS = {"fr": "\u202f; ", "ar": "؛ ", "zh": "；"}


def values_by_year(line: IndicatorLine, language: str = "en") -> str:
    """A chart's values as text, each at its period as published and written as the language
    writes numbers: `2015: 4.1; 2018: 3,256`, `2013 Q2 : 7,69 ; 2013 Q3 : 8,4`."""
    colon = _COLONS.get(language, ": ")
    return _SEMICOLONS.get(language, "; ").join(
        f"{line.labels.get(t) or _year(t)}{colon}{written_number(v, language)}"
        for t, v in line.points
    )


def with_unit(line: IndicatorLine, language: str = "en") -> str:
    """The values preceded by their unit, in `language` where it is a common one (`unit_in`), else
    as the data publish it: `Score — 2015: 0.57; …`, `Nombre — 2009 : 303 ; …`."""
    values = values_by_year(line, language)
    return f"{unit_in(line.unit, language)} — {values}" if line.unit and values else values


def _year(time: float) -> str:
    whole = int(time)
    return str(whole) if time == whole else f"{time:g}"


def pledge_row(pledge: Pledge, _: Gettext = _english, language: str = "en") -> list[str]:
    amount = pledge.amount
    return [
        pledge.title,
        _(", ").join(actor_name(a, language) for a in pledge_makers(pledge)),
        "—" if amount is None else written_amount(amount, pledge.currency, language),
        f"{pledge.start_year}–{pledge.end_year}",
        _(STATUSES[pledge.status]),
    ]


def _section(document: Any, section: ObjectiveSection, _: Gettext, language: str) -> None:
    objective = section.objective
    document.add_heading(
        _("Objective %(number)s: %(title)s")
        % {"number": objective.number, "title": section.title_in(language).text},
        level=2,
    )
    if section.is_empty and not section.without_data:
        document.add_paragraph(_("Nothing reported for this objective in this scope yet."))
        return
    document.add_heading(_("Pledges"), level=3)
    _table(
        document,
        [_("Pledge"), _("By"), _("Amount"), _("Timeframe"), _("Status")],
        [pledge_row(p, _, language) for p in section.pledges],
        _,
    )
    document.add_heading(_("Indicators with data"), level=3)
    _table(
        document,
        [_("Indicator"), _("Country"), _("Latest"), _("Progress"), _("Values by year")],
        [
            [
                f"{line.code} {line.title_in(language).text}".strip(),
                country_name(line.country, language) if line.country else "—",
                line.coverage.latest,
                _(line.status_label),
                with_unit(line, language),
            ]
            for line in section.indicators
        ],
        _,
    )
    if section.without_data:
        document.add_paragraph(
            _("No data in this scope for %(codes)s.")
            % {"codes": "; ".join(section.missing(language))}
        )
    if section.practices:
        document.add_heading(_("Practices"), level=3)
        for practice in section.practices:
            document.add_paragraph(
                f"{practice.title} ({actor_name(practice.actor, language)})", style="List Bullet"
            )
    if section.matches or section.answered:
        document.add_heading(_("Capacity matched"), level=3)
        for m in section.matches:
            document.add_paragraph(
                _("%(kind)s: %(need)s needs, %(offer)s offers")
                % {
                    "kind": _(SUPPORT_KINDS[m.need.kind]),
                    "need": actor_name(m.need.actor, language),
                    "offer": actor_name(m.offer.actor, language),
                },
                style="List Bullet",
            )
        for need, pledges in section.answered:
            answering = "; ".join(f"{p.title} ({actor_name(p.actor, language)})" for p in pledges)
            document.add_paragraph(
                _("%(kind)s: %(actor)s's need answered by %(pledges)s")
                % {
                    "kind": _(SUPPORT_KINDS[need.kind]),
                    "actor": actor_name(need.actor, language),
                    "pledges": answering,
                },
                style="List Bullet",
            )


def _opening(report: CycleReport, language: str, _: Gettext) -> str:
    """The scope, the days of the cycle and the day the report was made."""
    cycle = report.cycle
    place = scope_name(cycle, language)
    values = {
        "scope": _(SCOPES[cycle.scope]),
        "place": place,
        "dates": written_days(cycle.start_date, cycle.end_date, language),
    }
    said = (
        _("%(scope)s review (%(place)s), %(dates)s.")
        if place
        else _("%(scope)s review, %(dates)s.")
    ) % values
    made = _("Generated on %(day)s from the published data.") % {
        "day": written_day(report.generated_on, language)
    }
    space = "" if language == "zh" else " "
    if report.as_of is not None:
        made += space + _(
            "As it stood on %(day)s, the cycle's last day: what was published by then, and data "
            "for periods begun by then. Pledges show their status today."
        ) % {"day": written_day(report.as_of, language)}
    return f"{said}{space}{made}"


def cycle_report_docx(report: CycleReport, narrative: Narrative, language: str = "en") -> bytes:
    """The report as a Word document, its headings in `language` (one of the six)."""
    _ = catalog(language).gettext
    cycle = report.cycle
    document = new_paper(Layout(cycle.title, language, author=process_name_of(cycle)))
    document.add_heading(_("Progress report: %(title)s") % {"title": cycle.title}, level=0)
    document.add_paragraph(_opening(report, language, _))
    document.add_heading(_("In brief"), level=1)
    document.add_paragraph(narrative.text)
    document.add_heading(_("By objective"), level=1)
    for section in report.sections:
        _section(document, section, _, language)
    document.add_heading(_("Indicators with data, by country and years"), level=1)
    _table(
        document,
        [_("Indicator"), _("Country"), _("First"), _("Latest"), _("Periods")],
        [
            [
                c.indicator,
                country_name(c.country, language) if c.country else "—",
                c.first,
                c.latest,
                written_number(c.periods, language),
            ]
            for c in report.coverage
        ],
        _,
    )
    document.add_heading(_("Indicators by progress status"), level=1)
    _table(
        document,
        [_("Status"), _("Indicators")],
        [[_(k), written_number(v, language)] for k, v in report.indicator_statuses.items()],
        _,
    )
    document.add_heading(_("Pledges by status"), level=1)
    _table(
        document,
        [_("Status"), _("Pledges")],
        [[_(k), written_number(v, language)] for k, v in report.pledge_statuses.items()],
        _,
    )
    document.add_heading(_("Voluntary reports"), level=1)
    for item in report.reports:
        document.add_paragraph(
            _("%(actor)s, objective %(number)s: %(text)s")
            % {
                "actor": actor_name(item.actor, language),
                "number": item.objective.number,
                "text": item.text,
            }
        )
    if not report.reports:
        document.add_paragraph(_("None yet."))
    return finish(document)


def _table(document: Any, header: list[str], rows: list[list[str]], _: Gettext) -> None:
    if not rows:
        document.add_paragraph(_("None yet."))
        return
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
