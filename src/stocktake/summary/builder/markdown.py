"""The summary as Markdown in its language: participation, a section per dimension with its
statements in prose, the divergences with who stands where, a compact annex of each statement's
sources (counts and a link to the inputs behind it) and an annex of every input not represented."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from stocktake.registry.models import STATE_KINDS
from stocktake.summary.builder.prose import quote
from stocktake.summary.builder.views import StatementView, SummaryInput
from stocktake.summary.builder.words import Words, annex_words

ALL_REGIONS = 5


def support_words(support: dict[str, Any], words: Words) -> str:
    """Who stands behind a statement: 'Supported by 42 delegations and 144 organisations.', with
    the regions only when fewer than all five stand behind it ('… from Africa and Asia.'); the
    introduction says once that the others come from all five."""
    by_kind: dict[str, int] = support.get("by_kind", {})
    delegations = sum(n for kind, n in by_kind.items() if kind in STATE_KINDS)
    organisations = sum(by_kind.values()) - delegations
    if not by_kind:
        organisations = int(support.get("actors", 0))
    who = [
        words.counted(key, n)
        for key, n in (("delegations", delegations), ("organisations", organisations))
        if n
    ]
    regions = list(support.get("by_region", {}))
    if not regions or len(regions) >= ALL_REGIONS:
        return words("support_nowhere", who=words.joined(who))
    where = words.joined([words.region(r) for r in regions])
    return words("support", who=words.joined(who), regions=where)


def everywhere(data: SummaryInput) -> bool:
    """Whether some statement is supported from all five regions (the introduction says so once)."""
    return any(
        len(s.support.get("by_region", {})) >= ALL_REGIONS for s in data.statements if s.text
    )


def _reference(statement: StatementView, data: SummaryInput) -> str:
    label = f"S{statement.number}"
    href = data.sources_href.format(number=statement.number) if data.sources_href else ""
    return f"[{label}]({href})" if href else label


def statement_prose(statement: StatementView, data: SummaryInput, words: Words) -> str:
    """One or two sentences: what participants did with the proposal's words, and who stood
    behind it."""
    if statement.annexed:
        language = words.language_name(statement.language)
        said = words(
            "quote_elsewhere", frame=statement.frame, language=language, number=statement.number
        )
    else:
        said = words("quote", frame=statement.frame, text=quote(statement.text.rstrip(".")))
        if statement.language:
            said += words.space + words(
                "original", language=words.language_name(statement.language)
            )
        if not said.endswith((".", "。")):
            said += "。" if data.language == "zh" else "."
    parts = [said]
    if statement.ideas:
        related = words.semicolon.join(quote(i.label.rstrip(".")) for i in statement.ideas)
        parts.append(words("related", ideas=related).replace("….", "…").replace("…。", "…"))
    reference = _reference(statement, data)
    parts.append(
        f"{support_words(statement.support, words)}"
        + (f"（{reference}）" if data.language == "zh" else f" ({reference})")
    )
    return words.space.join(parts)


def _dimensions(data: SummaryInput, words: Words) -> list[str]:
    lines: list[str] = []
    definition = data.definition
    for dimension in definition.dimensions:
        statements = [
            s for s in data.statements if s.dimension == dimension.key and not s.divergence
        ]
        if not any(s.text for s in statements):
            continue
        name = words.term(dimension)
        lines += [f"## {words('dimension', name=name) if data.language == 'en' else name}", ""]
        sections = [
            (words.names(s.names, s.name), tuple(s.input_types))
            for s in definition.summary_sections()
        ]
        known = {key for _, keys in sections for key in keys}
        other = tuple(sorted({s.input_type for s in statements} - known))
        for heading, types in (*sections, (definition.summary.other_section, other)):
            chosen = [s for s in statements if s.input_type in types and s.text]
            if not chosen:
                continue
            lines += [f"### {heading}", ""]
            for statement in sorted(chosen, key=lambda s: -s.support.get("actors", 0)):
                lines.append(f"- {statement_prose(statement, data, words)}")
            lines.append("")
    return lines


def _divergences(data: SummaryInput, words: Words) -> list[str]:
    lines = [f"## {words('divergences')}", ""]
    surfaced = [d for d in data.divergences if d.surfaced]
    if not surfaced:
        return [*lines, words("no_divergence"), ""]
    defined = {d.key: d for d in data.definition.divergences}
    for divergence in surfaced:
        term = defined.get(divergence.key)
        name = words.names(term.names, divergence.name) if term else divergence.name
        description = (
            words.names(term.descriptions, divergence.description)
            if term
            else divergence.description
        )
        positions = {p.key: p for p in term.positions} if term else {}
        lines += [f"### {name}", "", description, ""]
        for position in divergence.positions:
            side = positions.get(position.key)
            position_name = words.names(side.names, position.name) if side else position.name
            sides = [
                s
                for s in data.statements
                if s.divergence == divergence.key and s.position == position.name and s.text
            ]
            said = (
                words.space.join(statement_prose(s, data, words) for s in sides)
                if sides
                else support_words(position.support, words)
            )
            lines.append(
                f"- {words('position', position=f'**{quote(position_name)}**', support=said)}"
            )
        lines.append("")
    return lines


def _counts(statement: StatementView, data: SummaryInput, words: Words) -> str:
    """Counts by kind, then the delegations by regional group (a group of States counts States)
    and the organisations by stakeholder category, with the registry's names."""
    support, definition = statement.support, data.definition
    parts = [
        f"{words.actor_kind(definition, k)} {words.number(n)}"
        for k, n in support.get("by_kind", {}).items()
    ]
    groups = [
        f"{words.regional_group(k)} {words.number(n)}"
        for k, n in support.get("delegations_by_regional_group", {}).items()
    ]
    if groups:
        parts.append(words("by_regional_group", counts=words.listed(groups)))
    categories = [
        f"{words.category(definition, k)} {words.number(n)}"
        for k, n in support.get("by_category", {}).items()
    ]
    if categories:
        parts.append(words("by_category", counts=words.listed(categories)))
    return words.semicolon.join(parts)


def _sources_annex(data: SummaryInput, words: Words) -> list[str]:
    stated = sorted((s for s in data.statements if s.text), key=lambda s: s.number)
    if not stated:
        return []
    lines = [f"## {words('sources_annex')}", ""]
    for statement in stated:
        count = words(
            "sources_line",
            inputs=words.number(len(statement.sources)),
            actors=words.number(int(statement.support.get("actors", 0))),
        )
        link = (
            f" [{words('sources_link')}]({data.sources_href.format(number=statement.number)})."
            if data.sources_href
            else ""
        )
        counted = words("position", position=count, support=_counts(statement, data, words))
        entry = f"- **S{statement.number}** {counted}.{link}"
        if statement.annexed:
            language = words.language_name(statement.language)
            entry += f" {words('quoted_in_annex', language=language)}: “{quote(statement.text)}”"
        if statement.quoted is not None:
            entry += f" {words('quoted_from', source=statement.quoted.markdown())}"
        lines += [entry, ""]
    return lines


def _annex(data: SummaryInput, words: Words) -> list[str]:
    lines = [f"## {words('not_represented')}", ""]
    annex = [item for item in data.annex if item.source.published]
    if annex:
        lines += [words("annex_columns"), "|---|---|---|"]
        lines += [
            f"| {item.source.markdown()} | {quote(item.actor)} | {_short(item.text)} |"
            for item in annex
        ]
    elif not data.annex:
        lines.append(words("all_represented"))
    unquoted = (
        len(data.annex) - len(annex) + sum(len(s.sources) for s in data.statements if not s.text)
    )
    if unquoted == 1:
        lines += ["", words("unpublished_one")]
    elif unquoted:
        lines += ["", words("unpublished", count=words.number(unquoted))]
    return lines


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return quote(text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…")


def render_markdown(data: SummaryInput) -> str:
    words = Words(data.language)
    lines = [f"# {data.title}", ""]
    if data.origin:
        lines += [f"*{data.origin}*", ""]
    lines += [f"## {words('participation')}", ""]
    if data.meeting:
        f = data.meeting.figures
        title = data.meeting.title
        lines += [
            words(
                "meeting_named" if words.names_a_meeting(title) else "meeting",
                title=title,
                lower=title[:1].lower() + title[1:],
                city=data.meeting.city,
                dates=words.dates(data.meeting.start, data.meeting.end),
                delegations=words.number(f.delegations),
                participants=words.number(f.participants),
                stakeholders=words.number(f.stakeholders),
            ),
            "",
        ]
    opening = words("draws_on", inputs=words.number(data.inputs), actors=words.number(data.actors))
    if everywhere(data):
        opening += words.space + words("all_regions_note")
    lines += [opening, ""]
    lines += _dimensions(data, words)
    lines += _divergences(data, words)
    lines += _sources_annex(data, words)
    lines += _annex(data, words)
    return "\n".join(lines).rstrip() + "\n"


def body(markdown: str) -> str:
    """A summary before its annexes, in any of the six languages."""
    annexes = "|".join(re.escape(word) for word in annex_words())
    return re.split(rf"^## (?:{annexes})", markdown, maxsplit=1, flags=re.MULTILINE)[0]


def body_words(markdown: str) -> int:
    """The words of a summary before its annexes."""
    return len(body(markdown).split())


def sources_rows(data: SummaryInput) -> Sequence[tuple[str, str]]:
    """(statement, input) for every source of every statement: the sources export."""
    return [(f"S{s.number}", source.name) for s in data.statements for source in s.sources]
