"""What the summary is made of: the facts it is drawn from (inputs, ideas, divergences) and the
statements, divergences and annex it says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from stocktake.core.markdown import escape_markdown
from stocktake.meetings.services import ParticipationFigures
from stocktake.process.definition import ProcessDefinition


@dataclass
class Source:
    name: str
    href: str | None = None
    published: bool = True
    """Only a published input is named and linked in the text; the others are counted."""

    def markdown(self) -> str:
        name = escape_markdown(self.name)
        return f"[{name}]({self.href})" if self.href else name


@dataclass
class IdeaView:
    label: str
    inputs: int
    actors: int


@dataclass
class StatementView:
    """What a theme says within a dimension and section: the words of its most representative
    input, its support, the ideas under it and its sources (listed in full in the annex)."""

    label: str
    text: str
    dimension: str
    input_type: str
    support: dict[str, Any]
    sources: list[Source]
    language: str = ""  # the quoted text's, when it is not the summary's
    ideas: list[IdeaView] = field(default_factory=list)
    number: int = 0  # S1, S2…: where the annex counts its sources
    cluster: int | None = None  # the stored cluster whose words it quotes
    """An empty text: no published input to quote, so the statement is counted, not written."""
    frame: str = ""
    """What participants did ("Several delegations proposed"), in the summary's language."""
    annexed: bool = False
    """The quote is in neither the summary's language nor English: the annex holds it."""
    divergence: str = ""
    """The key of the divergence it is one side of ("" for an ordinary statement)."""
    position: str = ""
    """The name of the position it takes in that divergence."""
    clusters: list[int] = field(default_factory=list)
    """The stored clusters behind it."""
    quoted: Source | None = None
    """The input whose words it quotes."""


@dataclass
class PositionView:
    key: str
    name: str
    support: dict[str, Any]
    sources: list[Source]


@dataclass
class DivergenceView:
    key: str
    name: str
    description: str
    surfaced: bool
    positions: list[PositionView]


@dataclass
class AnnexItem:
    source: Source
    actor: str
    text: str


@dataclass
class MeetingView:
    title: str
    start: dt.date
    end: dt.date
    city: str
    figures: ParticipationFigures


@dataclass
class SummaryInput:
    title: str
    definition: ProcessDefinition
    inputs: int
    actors: int
    statements: list[StatementView] = field(default_factory=list)
    divergences: list[DivergenceView] = field(default_factory=list)
    annex: list[AnnexItem] = field(default_factory=list)
    meeting: MeetingView | None = None
    origin: str = ""
    cluster_href: str = ""
    """Link pattern of a cluster's page, such as '/summary/3/clusters/{number}'."""
    sources_href: str = ""
    """Link pattern of the page of a statement's inputs, such as '/summary/3/sources/{number}'."""
    language: str = "en"
    """The summary's language: its own words, and the language its statements quote in."""


@dataclass
class AnalysedInput:
    """One input the analysis saw, as the summary cites it."""

    source: Source
    actor_code: str
    actor_name: str
    text: str
    language: str = "und"
    actor_kind: str = ""
    region: str | None = None
    regional_group: str | None = None
    category: str | None = None
    title: str = ""


@dataclass
class ClusterFacts:
    """A cluster of an analysis, stored or in memory; members are indexes into the analysed inputs."""

    label: str
    representative: int | None
    members: list[int]
    dimensions: list[str]
    input_types: list[str]
    support: dict[str, Any]
    theme: int = -1  # the theme it belongs to; -1 when the run has none
    number: int | None = None  # the stored cluster's number, for its page
    named_by_staff: bool = False
    """A label the secretariat wrote, not words taken from an input."""


@dataclass
class PositionFacts:
    key: str
    name: str
    support: dict[str, Any]
    members: list[int]


@dataclass
class DivergenceFacts:
    key: str
    name: str
    description: str
    surfaced: bool
    positions: list[PositionFacts]
