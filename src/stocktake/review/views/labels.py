"""The names the review pages show for the kinds, statuses and scopes the services store by key,
marked for the catalogs: the services keep the English names (the API and the exports use them),
the pages show them in the reader's language (`|translated`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import Request

from stocktake.process.models import Process
from stocktake.review.models import Objective
from stocktake.review.progress import STATUS_LABELS
from stocktake.review.services.cycles import SCOPES
from stocktake.review.services.mapping import SUPPORT_KINDS
from stocktake.review.services.objective_titles import ObjectiveTitles
from stocktake.review.services.pledges import KINDS, LEVELS, MODES, NOTES, STATUSES
from stocktake.web.charts import Bar, bar_chart
from stocktake.web.languages import catalog, request_choice, request_language, translatable

NAMES = (
    # kinds of support of capacity needs and offers
    translatable("Financial"),
    translatable("Technical assistance"),
    translatable("Training"),
    translatable("Data and research"),
    translatable("Policy advice"),
    # scopes of review cycles, levels of pledges
    translatable("Local"),
    translatable("National"),
    translatable("Regional"),
    translatable("Global"),
    # kinds of pledges
    translatable("Human resources"),
    translatable("Process"),
    translatable("Policy"),
    # how a pledge is made
    translatable("By one actor"),
    translatable("In common with partners"),
    translatable("Matching another pledge"),
    # statuses of pledges
    translatable("Planned"),
    translatable("In progress"),
    translatable("Completed"),
    translatable("Discontinued"),
    # progress of indicators
    translatable("Target achieved"),
    translatable("Substantial progress"),
    translatable("Moderate progress"),
    translatable("Limited progress"),
    translatable("Deterioration"),
    translatable("Not available"),
    translatable("No data"),
    translatable("No region"),
    # charts
    translatable("Indicators by progress status"),
    translatable("Pledges by objective"),
    translatable("Pledges by region"),
    translatable("Pledges by kind"),
    translatable("Pledges by status"),
)
OBJECTIVE_TITLED = translatable("Objective %(number)s: %(title)s")
NO_DATA = "No data"

DIRECTIONS = {"increase": translatable("increase"), "decrease": translatable("decrease")}
"""The direction of change an indicator's target desires, as stored."""

LABELS: dict[str, Any] = {
    "directions": DIRECTIONS,
    "support": SUPPORT_KINDS,
    "scopes": SCOPES,
    "kinds": KINDS,
    "levels": LEVELS,
    "modes": MODES,
    "statuses": STATUSES,
    "notes": NOTES,
    "progress": {s.value: label for s, label in STATUS_LABELS.items()},
}


def page_direction(request: Request) -> str:
    """The direction of the page the request asks for ("rtl" for Arabic), for its charts."""
    return request_choice(request).direction


def page_gettext(request: Request) -> Callable[[str], str]:
    """The catalog's gettext in the language of the page the request asks for."""
    return catalog(request_language(request)).gettext


def objective_titles(request: Request, process: Process) -> ObjectiveTitles:
    """The objectives' titles in the language of the page the request asks for, for a template's
    `objective_title(o)` (a text with its language, shown with `|shown`)."""
    return ObjectiveTitles(process, request_language(request))


def objective_bars(
    counts: Mapping[str, int],
    objectives: Sequence[Objective],
    titles: ObjectiveTitles,
    gettext: Callable[[str], str],
) -> dict[str, int]:
    """The dashboard's counts by objective ("Objective 3": 2) labelled as a reader names an
    objective: its number and its title in the page's language ("Objective 3: Provide accurate
    and timely information..."); the chart cuts a long label and keeps it whole on hover."""
    by_number = {f"Objective {o.number}": o for o in objectives}
    labelled: dict[str, int] = {}
    for key, count in counts.items():
        objective = by_number.get(key)
        if objective is None:
            labelled[key] = count
            continue
        label = gettext(OBJECTIVE_TITLED) % {
            "number": objective.number,
            "title": titles(objective).text,
        }
        labelled[label] = count
    return labelled


def translated_chart(
    title: str,
    counts: Mapping[str, int],
    gettext: Callable[[str], str],
    direction: str = "ltr",
) -> Any:
    """A bar chart whose title and bars are in the page's language, drawn in its direction."""
    return bar_chart(
        gettext(title),
        [Bar(gettext(k), v) for k, v in counts.items()],
        direction=direction,
    )
