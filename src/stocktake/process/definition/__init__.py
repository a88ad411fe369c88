"""The declarative process definition (TOML): its schema, and a loader whose errors name the place.

A definition is read and validated whole before anything touches the database.
"""

from __future__ import annotations

from stocktake.process.definition.checked import ProcessDefinition
from stocktake.process.definition.loading import (
    default_definition_path,
    load_definition_file,
    parse_definition,
)
from stocktake.process.definition.schema import (
    ACTOR_KINDS,
    DEFAULT_FRAMES,
    LANGUAGES,
    SDG_INDICATOR,
    VOCABULARIES,
    ActorKindTerm,
    Dimension,
    Divergence,
    Frame,
    FrameAction,
    FrameObjective,
    Instrument,
    Key,
    Names,
    Phase,
    Position,
    ProcessInfo,
    ProgressDefault,
    Strict,
    SummaryFrame,
    SummaryLayout,
    SummarySection,
    SupportKind,
    Term,
)

__all__ = [
    "ACTOR_KINDS",
    "DEFAULT_FRAMES",
    "LANGUAGES",
    "SDG_INDICATOR",
    "VOCABULARIES",
    "ActorKindTerm",
    "Dimension",
    "Divergence",
    "Frame",
    "FrameAction",
    "FrameObjective",
    "Instrument",
    "Key",
    "Names",
    "Phase",
    "Position",
    "ProcessDefinition",
    "ProcessInfo",
    "ProgressDefault",
    "Strict",
    "SummaryFrame",
    "SummaryLayout",
    "SummarySection",
    "SupportKind",
    "Term",
    "default_definition_path",
    "load_definition_file",
    "parse_definition",
]
