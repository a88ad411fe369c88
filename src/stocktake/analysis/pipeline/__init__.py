"""The whole analysis on documents in memory: duplicates, tags, SDG links, clusters, divergences."""

from __future__ import annotations

from stocktake.analysis.pipeline.results import (
    ActorInfo,
    ClusterResult,
    Context,
    DivergenceOut,
    Doc,
    Params,
    PositionOut,
    Result,
    Support,
    ThemeResult,
    analysed_text,
    support_of,
)
from stocktake.analysis.pipeline.stages import (
    STAGES,
    Progress,
    keep_labels,
    run_pipeline,
    vocabularies,
)

__all__ = [
    "STAGES",
    "ActorInfo",
    "ClusterResult",
    "Context",
    "DivergenceOut",
    "Doc",
    "Params",
    "PositionOut",
    "Progress",
    "Result",
    "Support",
    "ThemeResult",
    "analysed_text",
    "keep_labels",
    "run_pipeline",
    "support_of",
    "vocabularies",
]
