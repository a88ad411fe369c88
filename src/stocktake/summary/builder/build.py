"""What the summary says, from the facts of an analysis: a statement per theme within each
dimension and section (at most three ideas named, never two sides of a divergence together), the
divergences with who stands where, and an annex of every input no statement represents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from stocktake.analysis.pipeline import Result
from stocktake.process.definition import ProcessDefinition, SupportKind
from stocktake.registry.models import GOVERNMENTAL_KINDS, STATE_KINDS
from stocktake.summary.builder.prose import boilerplate, proposal, related, sentence_key
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

MIN_ACTORS = 2
"""An idea is stated when at least this many distinct actors stand behind it."""
MAX_IDEAS = 3
"""A statement names at most this many ideas."""
FALLBACK_LANGUAGE = "en"


GOVERNMENTS_ONLY = 0.9
"""At least this share of governments among an idea's actors: governments stand behind it."""
MOSTLY = 0.6
"""At least this share of one side: mostly governments, or mostly stakeholders."""


def support_kind(support: dict[str, Any]) -> SupportKind:
    """Who stands behind an idea, by the share of governments among its actors (each counted once):
    (nearly) only governments, mostly governments, both in like numbers, mostly stakeholders, or
    (nearly) only stakeholders."""
    by_kind: dict[str, int] = support.get("by_kind", {})
    total = sum(by_kind.values())
    if not total:
        return "mixed"
    share = sum(n for kind, n in by_kind.items() if kind in GOVERNMENTAL_KINDS) / total
    if share >= GOVERNMENTS_ONLY:
        return "governments"
    if share >= MOSTLY:
        return "mostly_governments"
    if share <= 1 - GOVERNMENTS_ONLY:
        return "stakeholders"
    if share <= 1 - MOSTLY:
        return "mostly_stakeholders"
    return "mixed"


def _reading_order(
    definition: ProcessDefinition,
    statements: list[StatementView],
    divergences: Sequence[DivergenceFacts],
) -> None:
    """Number the statements S1, S2… in the order the summary reads them: by dimension and
    section, the most supported first, then the sides of each divergence."""
    dimensions = {d.key: n for n, d in enumerate(definition.dimensions)}
    sections = {
        t: n for n, section in enumerate(definition.summary_sections()) for t in section.input_types
    }
    sides = {
        (d.key, p.name): (n, m)
        for n, d in enumerate(divergences)
        for m, p in enumerate(d.positions)
    }

    def place(statement: StatementView) -> tuple[Any, ...]:
        actors = -statement.support.get("actors", 0)
        if statement.divergence:
            return (
                not statement.text,
                1,
                *sides.get((statement.divergence, statement.position), (0, 0)),
                actors,
            )
        return (
            not statement.text,
            0,
            dimensions.get(statement.dimension, len(dimensions)),
            sections.get(statement.input_type, len(sections)),
            actors,
        )

    statements.sort(key=place)
    for number, statement in enumerate(statements, start=1):
        statement.number = number


def _positions(
    clusters: Sequence[ClusterFacts], divergences: Sequence[DivergenceFacts]
) -> dict[int, tuple[str, str]]:
    """The (divergence, position) each idea clearly takes: most of its inputs take that position
    of a surfaced divergence."""
    taken: dict[int, tuple[str, str]] = {}
    where: dict[int, list[tuple[str, str]]] = {}
    for divergence in divergences:
        for position in divergence.positions:
            for member in position.members:
                where.setdefault(member, []).append((divergence.key, position.key))
    for number, cluster in enumerate(clusters):
        counts = Counter(side for m in cluster.members for side in where.get(m, []))
        if counts:
            side, count = counts.most_common(1)[0]
            if count * 2 >= len(cluster.members):
                taken[number] = side
    return taken


def _in_language(
    cluster: ClusterFacts, analysed: Sequence[AnalysedInput], language: str
) -> int | None:
    """The published input of the idea a statement quotes in that language: its representative
    when it is one, else the text most of its inputs in that language share (a campaign's
    proposal), the shortest first."""
    chosen = [
        m
        for m in cluster.members
        if analysed[m].source.published and analysed[m].language == language
    ]
    if not chosen:
        return None
    if cluster.representative in chosen:
        return cluster.representative
    shared = Counter(sentence_key(analysed[m].text) for m in chosen)
    return min(
        chosen, key=lambda m: (-shared[sentence_key(analysed[m].text)], len(analysed[m].text))
    )


def _first_published(cluster: ClusterFacts, analysed: Sequence[AnalysedInput]) -> int | None:
    for index in (cluster.representative, *cluster.members):
        if index is not None and analysed[index].source.published:
            return index
    return None


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
        "delegations_by_regional_group": count(
            [a.regional_group for a in chosen if a.actor_kind in STATE_KINDS]
        ),
        "by_category": count([a.category for a in chosen]),
    }


def _statement(
    ideas: list[ClusterFacts],
    analysed: Sequence[AnalysedInput],
    common: set[str],
    definition: ProcessDefinition,
    *,
    language: str,
    actors: int,
) -> StatementView:
    """One statement for these ideas (the most supported first): quoted in the summary's language
    when one of an idea's inputs is in it, else in English; else its quote goes to the annex."""
    ideas.sort(key=lambda c: (-c.support.get("actors", 0), -len(c.members)))
    speaking, quoted = ideas[0], None
    for wanted in dict.fromkeys((language, FALLBACK_LANGUAGE)):
        found = next(
            ((c, q) for c in ideas if (q := _in_language(c, analysed, wanted)) is not None), None
        )
        if found:
            speaking, quoted = found
            break
    annexed = quoted is None
    if quoted is None:
        quoted = _first_published(speaking, analysed)
    members = sorted({m for c in ideas for m in c.members})
    counted = _support([analysed[m] for m in members])
    support = counted if len(ideas) > 1 else dict(speaking.support)
    support["delegations_by_regional_group"] = counted["delegations_by_regional_group"]
    source_language = analysed[quoted].language if quoted is not None else language
    named: list[IdeaView] = []
    for cluster in [c for c in ideas if c is not speaking]:
        index = _in_language(cluster, analysed, source_language)
        if index is not None and len(named) < MAX_IDEAS - 1:
            words = related(analysed[index].text, common)
            named.append(
                IdeaView(words, len(cluster.members), int(cluster.support.get("actors", 0)))
            )
    input_type = (speaking.input_types or [definition.input_types[0].key])[0]
    return StatementView(
        label=speaking.label,
        text=proposal(analysed[quoted].text, common) if quoted is not None else "",
        dimension=(speaking.dimensions or [definition.dimensions[-1].key])[0],
        input_type=input_type,
        support=support,
        sources=[analysed[m].source for m in members],
        language="" if source_language in (language, "und") else source_language,
        ideas=named,
        cluster=speaking.number,
        frame=definition.summary.frame(
            input_type,
            support_kind(support),
            language,
            share=support.get("actors", 0) / actors if actors else 0.0,
        ),
        annexed=annexed and quoted is not None,
        clusters=[c.number for c in ideas if c.number is not None],
        quoted=analysed[quoted].source if quoted is not None else None,
    )


def build_summary_input(
    definition: ProcessDefinition,
    analysed: Sequence[AnalysedInput],
    clusters: Sequence[ClusterFacts],
    divergences: Sequence[DivergenceFacts],
    *,
    title: str,
    meeting: MeetingView | None = None,
    origin: str = "",
    language: str = "en",
) -> SummaryInput:
    """What the summary says: a statement per theme within each dimension and section, of its
    ideas that enough actors stand behind; ideas that take a side of a surfaced divergence stand
    under the divergence, one statement per side; an annex of every input no statement
    represents. The one rule for both a stored run and an in-memory result."""
    Words(language)  # refuses a language the summary has no words for
    data = SummaryInput(
        title=title,
        definition=definition,
        inputs=len(analysed),
        actors=len({item.actor_code for item in analysed}),
        meeting=meeting,
        origin=origin,
        language=language,
    )
    surfaced = {d.key for d in divergences if d.surfaced}
    sides = {n: s for n, s in _positions(clusters, divergences).items() if s[0] in surfaced}
    common = boilerplate(
        (number, analysed[m].text) for number, c in enumerate(clusters) for m in c.members
    )
    represented: set[int] = set()
    groups: dict[tuple[Any, ...], list[ClusterFacts]] = {}
    for number, cluster in enumerate(clusters):
        if cluster.support.get("actors", 0) < MIN_ACTORS:
            continue
        represented.update(cluster.members)
        if number in sides:
            key: tuple[Any, ...] = ("divergence", *sides[number])
        else:
            key = (
                (cluster.dimensions or [definition.dimensions[-1].key])[0],
                (cluster.input_types or [definition.input_types[0].key])[0],
                cluster.theme if cluster.theme >= 0 else -1 - number,
            )
        groups.setdefault(key, []).append(cluster)
    names = {(d.key, p.key): p.name for d in divergences for p in d.positions}
    for key, ideas in groups.items():
        statement = _statement(
            ideas, analysed, common, definition, language=language, actors=data.actors
        )
        if key[0] == "divergence":
            statement.divergence, statement.position = key[1], names[key[1], key[2]]
        data.statements.append(statement)
    _reading_order(definition, data.statements, divergences)
    data.divergences = [
        DivergenceView(
            key=divergence.key,
            name=divergence.name,
            description=divergence.description,
            surfaced=divergence.surfaced,
            positions=[
                PositionView(p.key, p.name, p.support, [analysed[m].source for m in p.members])
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
    language: str = "en",
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
            divergence.key,
            divergence.name,
            divergence.description,
            divergence.surfaced,
            [
                PositionFacts(p.key, p.name, p.support.as_dict(), list(p.rows))
                for p in divergence.positions
            ],
        )
        for divergence in result.divergences
    ]
    return build_summary_input(
        definition,
        analysed,
        clusters,
        divergences,
        title=title,
        meeting=meeting,
        origin=origin,
        language=language,
    )
