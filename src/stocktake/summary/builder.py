"""The Chair's summary as Markdown: participation, a section per dimension with the proposals by input
type and their support, the divergences, and an annex of every input not represented above."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from stocktake.analysis.pipeline import Result
from stocktake.meetings.services import ParticipationFigures
from stocktake.process.definition import ProcessDefinition

MIN_ACTORS = 2
"""A cluster becomes a statement when at least this many distinct actors stand behind it."""
MAX_SOURCES = 60


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>!|~&#])")
_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Text shown as text in Markdown: no emphasis, link, image, HTML, entity, heading, list or table
    cell comes from it."""
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    lead, marker = match.groups()
    if marker[0].isdigit():  # "1." or "1)" opens an ordered list
        end = match.end()
        return f"{text[:end]}\\{text[end:]}"
    return f"{lead}\\{text[len(lead) :]}"


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
class StatementView:
    label: str
    text: str
    dimension: str
    input_type: str
    support: dict[str, Any]
    sources: list[Source]
    cluster: int | None = None
    """An empty text: no published input to quote, so the statement is counted, not written."""


@dataclass
class PositionView:
    name: str
    support: dict[str, Any]
    sources: list[Source]


@dataclass
class DivergenceView:
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
    dates: str
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


def support_sentence(support: dict[str, Any], definition: ProcessDefinition) -> str:
    parts = [
        definition.actor_kind(kind).counted(count)
        for kind, count in support.get("by_kind", {}).items()
    ]
    regions = ", ".join(
        f"{region} {count}" for region, count in support.get("by_region", {}).items()
    )
    actors = support.get("actors", 0)
    sentence = f"{actors} actor{'s' if actors != 1 else ''}"
    if parts:
        sentence += f" ({', '.join(parts)})"
    if regions:
        sentence += f"; by region: {regions}"
    return sentence


def unpublished_note(count: int) -> str:
    return f"{count} input{'s' if count != 1 else ''} not yet published"


def _sources(sources: Sequence[Source], cluster_href: str = "") -> str:
    """The published sources, named and linked; the others counted."""
    published = [s for s in sources if s.published]
    parts = [", ".join(s.markdown() for s in published[:MAX_SOURCES])] if published else []
    if len(published) > MAX_SOURCES:
        more = f"{len(published) - MAX_SOURCES} more"
        parts.append(f"{more}, [listed with the cluster]({cluster_href})" if cluster_href else more)
    if hidden := len(sources) - len(published):
        parts.append(unpublished_note(hidden))
    return " and ".join(parts) if len(parts) < 3 else f"{parts[0]}, {parts[1]} and {parts[2]}"


def _quote(text: str, limit: int = 400) -> str:
    """Input text as text: whitespace collapsed, cut at a word, Markdown escaped."""
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return escape_markdown(text)


def _escape(text: str) -> str:
    return escape_markdown(" ".join(text.split()))


def render_markdown(data: SummaryInput) -> str:
    lines = [f"# {data.title}", ""]
    if data.origin:
        lines += [f"*{data.origin}*", ""]
    lines += ["## Participation", ""]
    if data.meeting:
        f = data.meeting.figures
        lines += [
            f"The {data.meeting.title}, held in {data.meeting.city} on {data.meeting.dates}, brought together "
            f"{f.delegations} delegations, {f.participants} participants and {f.stakeholders} non-governmental "
            f"stakeholders.",
            "",
        ]
    lines += [
        f"This summary draws on {data.inputs} inputs from {data.actors} actors. Every input is either represented "
        "by a statement below, with its support and its sources, or listed in the annex; inputs not yet "
        "published are counted, not quoted.",
        "",
    ]
    names = {d.key: d.name for d in data.definition.dimensions}
    for dimension in data.definition.dimensions:
        statements = [s for s in data.statements if s.dimension == dimension.key]
        if not statements:
            continue
        lines += [f"## {names[dimension.key]} dimension", ""]
        sections = [(s.name, tuple(s.input_types)) for s in data.definition.summary_sections()]
        known = {key for _, keys in sections for key in keys}
        other = tuple(sorted({s.input_type for s in statements} - known))
        for heading, types in (*sections, (data.definition.summary.other_section, other)):
            chosen = [s for s in statements if s.input_type in types and s.text]
            if not chosen:
                continue
            lines += [f"### {heading}", ""]
            for statement in sorted(chosen, key=lambda s: -s.support.get("actors", 0)):
                label = " ".join(statement.label.split()).rstrip(".…")
                lead = (
                    ""
                    if " ".join(statement.text.split()).startswith(label)
                    else f"**{escape_markdown(label)}.** "
                )
                href = (
                    data.cluster_href.format(number=statement.cluster)
                    if data.cluster_href and statement.cluster is not None
                    else ""
                )
                lines += [
                    f"- {lead}{_quote(statement.text)}",
                    f"  Supported by {support_sentence(statement.support, data.definition)}. Sources: {_sources(statement.sources, href)}.",
                ]
            lines.append("")
    lines += ["## Divergences", ""]
    surfaced = [d for d in data.divergences if d.surfaced]
    if not surfaced:
        lines += ["No divergence was surfaced among the themes the process follows.", ""]
    for divergence in surfaced:
        lines += [f"### {divergence.name}", "", divergence.description, ""]
        for position in divergence.positions:
            lines.append(
                f"- **{position.name}**: {support_sentence(position.support, data.definition)}. Sources: {_sources(position.sources)}."
            )
        lines.append("")
    lines += _annex(data)
    return "\n".join(lines).rstrip() + "\n"


def _annex(data: SummaryInput) -> list[str]:
    lines = ["## Annex: inputs not represented above", ""]
    annex = [item for item in data.annex if item.source.published]
    if annex:
        lines += ["| Input | Submitted by | Text |", "|---|---|---|"]
        lines += [
            f"| {item.source.markdown()} | {_escape(item.actor)} | {_quote(item.text, 200)} |"
            for item in annex
        ]
    elif not data.annex:
        lines.append("Every input is represented above.")
    unquoted = (
        len(data.annex) - len(annex) + sum(len(s.sources) for s in data.statements if not s.text)
    )
    if unquoted:
        lines += [
            "",
            f"In addition, {unpublished_note(unquoted)} are counted in the figures above but "
            "neither quoted nor listed.",
        ]
    return lines


@dataclass
class AnalysedInput:
    """One input the analysis saw, as the summary cites it."""

    source: Source
    actor_code: str
    actor_name: str
    text: str
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
    number: int | None = None
    named_by_staff: bool = False
    """A label the secretariat wrote, not words taken from an input."""


@dataclass
class PositionFacts:
    name: str
    support: dict[str, Any]
    members: list[int]


@dataclass
class DivergenceFacts:
    name: str
    description: str
    surfaced: bool
    positions: list[PositionFacts]


def quotable(cluster: ClusterFacts, analysed: Sequence[AnalysedInput]) -> tuple[str, str]:
    """The label and the quoted text of a statement, from published inputs only: the representative
    when it is published, else the first published member; ("", "") when none is published. A label
    taken from the words of an unpublished input gives way to the quoted input's title or first
    words."""
    candidates = [cluster.representative, *cluster.members]
    chosen = next((i for i in candidates if i is not None and analysed[i].source.published), None)
    if chosen is None:
        return "", ""
    quoted = analysed[chosen]
    label = " ".join(cluster.label.split()).rstrip(".…")
    published = [analysed[m] for m in cluster.members if analysed[m].source.published]
    if not cluster.named_by_staff and not any(
        label in " ".join(f"{item.title} {item.text}".split()) for item in published
    ):
        label = quoted.title or " ".join(quoted.text.split()[:8])
    return label, quoted.text


def build_summary_input(
    definition: ProcessDefinition,
    analysed: Sequence[AnalysedInput],
    clusters: Sequence[ClusterFacts],
    divergences: Sequence[DivergenceFacts],
    *,
    title: str,
    meeting: MeetingView | None = None,
    origin: str = "",
) -> SummaryInput:
    """What the summary says: a statement per cluster that enough actors stand behind, the
    divergences, and an annex of every input no statement represents. The one rule for both a
    stored run and an in-memory result."""
    data = SummaryInput(
        title=title,
        definition=definition,
        inputs=len(analysed),
        actors=len({item.actor_code for item in analysed}),
        meeting=meeting,
        origin=origin,
    )
    represented: set[int] = set()
    for cluster in clusters:
        if cluster.support.get("actors", 0) < MIN_ACTORS:
            continue
        represented.update(cluster.members)
        label, text = quotable(cluster, analysed)
        data.statements.append(
            StatementView(
                label=label,
                text=text,
                dimension=(cluster.dimensions or [definition.dimensions[-1].key])[0],
                input_type=(cluster.input_types or [definition.input_types[0].key])[0],
                support=cluster.support,
                sources=[analysed[member].source for member in cluster.members],
                cluster=cluster.number,
            )
        )
    data.divergences = [
        DivergenceView(
            name=divergence.name,
            description=divergence.description,
            surfaced=divergence.surfaced,
            positions=[
                PositionView(p.name, p.support, [analysed[m].source for m in p.members])
                for p in divergence.positions
            ],
        )
        for divergence in divergences
    ]
    data.annex = [
        AnnexItem(item.source, item.actor_name, item.text)
        for index, item in enumerate(analysed)
        if index not in represented
    ]
    return data


def from_result(
    result: Result,
    definition: ProcessDefinition,
    *,
    title: str,
    meeting: MeetingView | None = None,
    href: str | None = None,
    origin: str = "",
) -> SummaryInput:
    """Summary input from an in-memory analysis result; `href` is a link pattern such as '/inputs/{key}'."""
    analysed = [
        AnalysedInput(
            Source(doc.name, href.format(key=doc.key) if href else None),
            doc.actor.code,
            doc.actor.name,
            doc.text,
        )
        for doc in result.docs
    ]
    clusters = [
        ClusterFacts(
            label=cluster.label,
            representative=cluster.representative,
            members=list(cluster.rows),
            dimensions=list(cluster.dimensions),
            input_types=list(cluster.input_types),
            support=cluster.support.as_dict(),
        )
        for cluster in result.clusters
    ]
    divergences = [
        DivergenceFacts(
            divergence.name,
            divergence.description,
            divergence.surfaced,
            [
                PositionFacts(p.name, p.support.as_dict(), list(p.rows))
                for p in divergence.positions
            ],
        )
        for divergence in result.divergences
    ]
    return build_summary_input(
        definition, analysed, clusters, divergences, title=title, meeting=meeting, origin=origin
    )
