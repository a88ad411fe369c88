"""Indicators and observations: import from an Open SDG folder, read, export, assess progress."""

from __future__ import annotations

from stocktake.review.services.indicators.exchange import (
    EXPORT_COLUMNS,
    export_observations_csv,
    export_observations_sdmx,
    write_observations_sdmx,
)
from stocktake.review.services.indicators.importing import (
    DIRECTIONS,
    OPEN_SDG_STATUSES,
    ImportReport,
    import_opensdg,
    open_sdg_status,
    progress_defaults,
)
from stocktake.review.services.indicators.queries import (
    assess_indicator,
    assess_progress,
    country_titles,
    get_indicator,
    list_indicators,
    list_observations,
    observed,
    places_with_data,
    settings_of,
)
from stocktake.review.services.indicators.sdmx_import import import_sdmx
from stocktake.review.services.indicators.titles import (
    UNITS,
    IndicatorTitles,
    Shown,
    framework_titles,
    title_in,
    unit_in,
)

__all__ = [
    "DIRECTIONS",
    "EXPORT_COLUMNS",
    "OPEN_SDG_STATUSES",
    "UNITS",
    "ImportReport",
    "IndicatorTitles",
    "Shown",
    "assess_indicator",
    "assess_progress",
    "country_titles",
    "export_observations_csv",
    "export_observations_sdmx",
    "framework_titles",
    "get_indicator",
    "import_opensdg",
    "import_sdmx",
    "list_indicators",
    "list_observations",
    "observed",
    "open_sdg_status",
    "places_with_data",
    "progress_defaults",
    "settings_of",
    "title_in",
    "unit_in",
    "write_observations_sdmx",
]
