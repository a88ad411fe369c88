"""Generate a summary from an analysis run, save edited versions, compare them."""

from __future__ import annotations

from stocktake.summary.services.drafting import (
    CHANGES_HEADING,
    DROPPED_ANNEX,
    carry_edits,
    check_language,
    generate_summary,
    generate_summary_of_run,
    redraft_summary,
    with_dropped_themes,
)
from stocktake.summary.services.inputs import (
    meeting_view,
    opening_meeting,
    statement_sources,
    summary_input,
)
from stocktake.summary.services.pages import (
    ClusterPage,
    SourcesPage,
    statement_inputs,
    summary_cluster,
)
from stocktake.summary.services.versions import (
    DRAFT_MARKERS,
    MAX_MARKDOWN,
    PublicationWarnings,
    comparable_summary,
    editable_summary,
    get_summary,
    list_summaries,
    publication_warnings,
    publish_summary,
    readable_markdown,
    save_version,
    version_of,
    visible_version,
)

__all__ = [
    "CHANGES_HEADING",
    "DRAFT_MARKERS",
    "DROPPED_ANNEX",
    "MAX_MARKDOWN",
    "ClusterPage",
    "PublicationWarnings",
    "SourcesPage",
    "carry_edits",
    "check_language",
    "comparable_summary",
    "editable_summary",
    "generate_summary",
    "generate_summary_of_run",
    "get_summary",
    "list_summaries",
    "meeting_view",
    "opening_meeting",
    "publication_warnings",
    "publish_summary",
    "readable_markdown",
    "redraft_summary",
    "save_version",
    "statement_inputs",
    "statement_sources",
    "summary_cluster",
    "summary_input",
    "version_of",
    "visible_version",
    "with_dropped_themes",
]
