"""The Chair's summary drawn from an analysis: what it says (build), in which words (words,
prose) and as Markdown (markdown)."""

from stocktake.summary.builder.build import (
    MIN_ACTORS,
    build_summary_input,
    from_result,
    support_kind,
)
from stocktake.summary.builder.markdown import body, body_words, render_markdown, support_words
from stocktake.summary.builder.views import (
    AnalysedInput,
    AnnexItem,
    ClusterFacts,
    DivergenceFacts,
    DivergenceView,
    IdeaView,
    MeetingView,
    PositionFacts,
    PositionView,
    Source,
    StatementView,
    SummaryInput,
)
from stocktake.summary.builder.words import Words

__all__ = [
    "MIN_ACTORS",
    "AnalysedInput",
    "AnnexItem",
    "ClusterFacts",
    "DivergenceFacts",
    "DivergenceView",
    "IdeaView",
    "MeetingView",
    "PositionFacts",
    "PositionView",
    "Source",
    "StatementView",
    "SummaryInput",
    "Words",
    "body",
    "body_words",
    "build_summary_input",
    "from_result",
    "render_markdown",
    "support_kind",
    "support_words",
]
