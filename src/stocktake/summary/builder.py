"""The Chair's summary as Markdown: participation, a section per dimension with the proposals by input
type and their support, the divergences, and an annex of every input not represented above."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from stocktake.analysis.pipeline import Result
from stocktake.core.markdown import escape_markdown
from stocktake.meetings.services import ParticipationFigures
from stocktake.process.definition import ProcessDefinition

MIN_ACTORS = 2
"""An idea is stated when at least this many distinct actors stand behind it."""
MAX_SOURCES = 60
SUMMARY_LANGUAGE = "en"
SOURCES_INLINE = 5
"""A statement with more sources names them in the annex, not in its sentence."""
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ar": "Arabic",
    "ru": "Russian",
    "zh": "Chinese",
    "pt": "Portuguese",
    "de": "German",
}


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
    number: int = 0  # S1, S2…: where the annex lists its sources
    cluster: int | None = None  # the stored cluster whose words it quotes
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
    for key, name in (
        ("by_regional_group", "regional group"),
        ("by_category", "stakeholder category"),
    ):
        counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in support.get(key, {}).items())
        if counts:
            sentence += f"; by {name}: {counts}"
    return sentence


def unpublished_note(count: int) -> str:
    return f"{count} input{'s' if count != 1 else ''} not yet published"


def _sources(
    sources: Sequence[Source], cluster_href: str = "", limit: int | None = MAX_SOURCES
) -> str:
    """The published sources, named and linked (up to `limit`, the rest on the cluster's page);
    the others counted."""
    published = [s for s in sources if s.published]
    shown = published if limit is None else published[:limit]
    parts = [", ".join(s.markdown() for s in shown)] if shown else []
    if len(published) > len(shown):
        more = f"{len(published) - len(shown)} more"
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


def _label(statement: StatementView) -> str:
    return statement.label.rstrip(".…")


def _statement_lines(
    statement: StatementView, definition: ProcessDefinition, cluster_href: str = ""
) -> list[str]:
    label = " ".join(statement.label.split()).rstrip(".")
    lead = (
        ""
        if label.rstrip("…") in " ".join(statement.text.split())
        else f"**{escape_markdown(label)}** "
    )
    marked = (
        f" *(original in {LANGUAGE_NAMES.get(statement.language, statement.language)})*"
        if statement.language
        else ""
    )
    inputs = statement.support.get("inputs", len(statement.sources))
    lines = [
        f"- {lead}{_quote(statement.text)}{marked}",
        f"  Supported by {support_sentence(statement.support, definition)}; {inputs} input{'s' if inputs != 1 else ''}.",
    ]
    if len(statement.ideas) > 1:
        ideas = "; ".join(
            f"{escape_markdown(idea.label.rstrip('.'))} ({idea.inputs} inputs, {idea.actors} actors)"
            for idea in statement.ideas
        )
        lines.append(f"  Ideas under it: {ideas}.")
    if statement.number:
        lines.append(
            f"  Sources: {len(statement.sources)} inputs, listed in the annex under S{statement.number}."
        )
    else:
        href = (
            cluster_href.format(number=statement.cluster)
            if cluster_href and statement.cluster is not None
            else ""
        )
        lines.append(f"  Sources: {_sources(statement.sources, href)}.")
    # each part on its own line (a Markdown hard break), within the one bullet
    return [f"{line}\\" for line in lines[:-1]] + lines[-1:]


def _sources_annex(statements: Sequence[StatementView]) -> list[str]:
    """Every source of the statements that name theirs here rather than in their sentence."""
    stated = sorted((s for s in statements if s.number and s.text), key=lambda s: s.number)
    if not stated:
        return []
    lines = ["## Annex: sources of each statement", ""]
    for statement in stated:
        listed = _sources(statement.sources, limit=None)
        lines += [f"- **S{statement.number}** {_escape(_label(statement))}: {listed}.", ""]
    return lines


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
                lines += _statement_lines(statement, data.definition, data.cluster_href)
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
    lines += _sources_annex(data.statements)
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
    name: str
    support: dict[str, Any]
    members: list[int]


@dataclass
class DivergenceFacts:
    name: str
    description: str
    surfaced: bool
    positions: list[PositionFacts]


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
    # One statement per theme within each dimension and section: its ideas that enough actors
    # stand behind, in the words of the most supported one (in the summary's language if it can).
    groups: dict[tuple[str, str, int], list[ClusterFacts]] = {}
    for number, cluster in enumerate(clusters):
        if cluster.support.get("actors", 0) < MIN_ACTORS:
            continue
        represented.update(cluster.members)
        key = (
            (cluster.dimensions or [definition.dimensions[-1].key])[0],
            (cluster.input_types or [definition.input_types[0].key])[0],
            cluster.theme if cluster.theme >= 0 else -1 - number,
        )
        groups.setdefault(key, []).append(cluster)
    for (dimension, input_type, _), ideas in groups.items():
        ideas.sort(key=lambda c: (-c.support.get("actors", 0), -len(c.members)))
        # Only a published input is quoted: each idea speaks through its representative when it
        # is published, else through its first published member.
        quotes = {id(c): _quoted(c, analysed) for c in ideas}
        speaking = next(
            (
                c
                for c in ideas
                if (q := quotes[id(c)]) is not None and analysed[q].language == SUMMARY_LANGUAGE
            ),
            next((c for c in ideas if quotes[id(c)] is not None), ideas[0]),
        )
        members = sorted({m for c in ideas for m in c.members})
        quoted = quotes[id(speaking)]
        text = analysed[quoted].text if quoted is not None else ""
        language = analysed[quoted].language if quoted is not None else SUMMARY_LANGUAGE
        data.statements.append(
            StatementView(
                label=_public_label(speaking, analysed, quoted),
                text=text,
                dimension=dimension,
                input_type=input_type,
                support=_support([analysed[m] for m in members])
                if len(ideas) > 1
                else speaking.support,
                sources=[analysed[m].source for m in members],
                language="" if language in (SUMMARY_LANGUAGE, "und") else language,
                ideas=[
                    IdeaView(
                        _public_label(c, analysed, quotes[id(c)])
                        or unpublished_note(len(c.members)),
                        len(c.members),
                        int(c.support.get("actors", 0)),
                    )
                    for c in ideas
                ],
                cluster=speaking.number,
            )
        )
    data.statements.sort(key=lambda s: -s.support.get("actors", 0))
    for number, statement in enumerate(data.statements, start=1):
        if len(statement.sources) > SOURCES_INLINE:
            statement.number = number
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


def _quoted(cluster: ClusterFacts, analysed: Sequence[AnalysedInput]) -> int | None:
    """The input a cluster may be quoted through: its representative when published, else its
    first published member; None when none of its inputs is published."""
    for index in (cluster.representative, *cluster.members):
        if index is not None and analysed[index].source.published:
            return index
    return None


def _public_label(
    cluster: ClusterFacts, analysed: Sequence[AnalysedInput], quoted: int | None
) -> str:
    """A cluster's label as the public may read it: one the secretariat wrote, or words found in one
    of its published inputs; else the quoted input's title or first words ("" when none is
    published)."""
    if quoted is None:
        return ""
    label = " ".join(cluster.label.split()).rstrip(".…")
    published = (analysed[m] for m in cluster.members if analysed[m].source.published)
    if cluster.named_by_staff or any(
        label.casefold() in " ".join(f"{item.title} {item.text}".split()).casefold()
        for item in published
    ):
        return cluster.label
    item = analysed[quoted]
    return item.title or " ".join(item.text.split()[:8]) + "…"


def _support(items: Sequence[AnalysedInput]) -> dict[str, Any]:
    """Support figures of a set of inputs: each actor counted once."""
    actors = {item.actor_code: item for item in items}

    def count(values: list[str | None]) -> dict[str, int]:
        tally: dict[str, int] = {}
        for value in values:
            if value:
                tally[value] = tally.get(value, 0) + 1
        return dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))

    chosen = list(actors.values())
    return {
        "inputs": len(items),
        "actors": len(chosen),
        "by_kind": count([a.actor_kind for a in chosen]),
        "by_region": count([a.region for a in chosen]),
        "by_regional_group": count([a.regional_group for a in chosen]),
        "by_category": count([a.category for a in chosen]),
    }


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
            doc.language,
            doc.actor.kind,
            doc.actor.region,
            doc.actor.regional_group,
            doc.actor.category,
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
            theme=result.theme_of_cluster[cluster.number] if result.theme_of_cluster else -1,
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
