"""A cycle's report: what it says for its scope (`build`), its narrative (`narrative`) and the Word
document (`word`)."""

from __future__ import annotations

from stocktake.review.services.report.build import (
    ON_TRACK,
    Coverage,
    CycleReport,
    Figures,
    IndicatorLine,
    ObjectiveSection,
    build_cycle_report,
    pledge_makers,
)
from stocktake.review.services.report.narrative import (
    Narrative,
    generate_narrative,
    narrative_of,
    regenerate_narrative,
    save_narrative,
)
from stocktake.review.services.report.word import cycle_report_docx, values_by_year, with_unit

__all__ = [
    "ON_TRACK",
    "Coverage",
    "CycleReport",
    "Figures",
    "IndicatorLine",
    "Narrative",
    "ObjectiveSection",
    "build_cycle_report",
    "cycle_report_docx",
    "generate_narrative",
    "narrative_of",
    "pledge_makers",
    "regenerate_narrative",
    "save_narrative",
    "values_by_year",
    "with_unit",
]
