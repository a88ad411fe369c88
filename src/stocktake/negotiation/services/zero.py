"""The zero draft started from a Chair's summary, and a draft's title: each statement of the
summary becomes an objective, a heading cut at a clause boundary over a commitment that ends
with a full stop in the draft's language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.negotiation.formats.reading import ParsedDraft, ParsedElement
from stocktake.negotiation.models import Draft, ElementKind
from stocktake.negotiation.said import longer_than
from stocktake.negotiation.services.drafts import check_parsed, store_draft
from stocktake.negotiation.services.links import link_from_origins
from stocktake.negotiation.titles import plain_title
from stocktake.process.models import Process
from stocktake.summary.models import Summary
from stocktake.summary.services import get_summary

__all__ = [
    "draft_from_summary",
    "heading_of",
    "plain_title",
    "rename_draft",
    "sentence",
    "skeleton_from_summary",
    "working_language",
    "zero_draft_source",
]

MAX_TITLE = 500
FULL_STOP = {"zh": "。"}
"""The full stop of a language whose own is not "." (Arabic's is the Latin one)."""
_ENDS = (".", "!", "?", "。", "！", "？", "؟")

_SOURCE_LINK = re.compile(r"\[([^\]]+)\]\(/inputs/(\d+)\)")
_BOLD = re.compile(r"\*\*([^*]+)\*\*\s*")
_ANNEX_ENTRY = re.compile(r"^- \*\*S(\d+)\*\*")
_ANNEX_REF = re.compile(r"annex under S(\d+)")
_STATEMENT_REF = re.compile(r"\[S(\d+)\]\(/summary/\d+/sources/\d+\)")
_QUOTED = re.compile(r"[“«]\s*(.+?)\s*[”»]")


def working_language(process: Process) -> str:
    """The language the process works in (its definition's `[process] language`), English when
    it names none."""
    said = (process.definition or {}).get("process")
    language = said.get("language") if isinstance(said, dict) else None
    return language if isinstance(language, str) and language else "en"


def zero_draft_source(summaries: Sequence[Summary], language: str) -> Summary | None:
    """The summary a zero draft starts from unless the secretariat picks another: the latest
    published one in the process's working language, else the latest published one, else the
    latest in that language, else the latest."""

    def latest(candidates: list[Summary]) -> Summary | None:
        return max(candidates, key=lambda s: (s.current.created_at, s.id), default=None)

    published = [s for s in summaries if s.published_version is not None]
    return (
        latest([s for s in published if s.language == language])
        or latest(published)
        or latest([s for s in summaries if s.language == language])
        or latest(list(summaries))
    )


def _checked_title(title: str, where: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValidationFailed(where, [Problem("title", Text("is empty"))])
    if len(title) > MAX_TITLE:
        raise ValidationFailed(where, [Problem("title", longer_than(MAX_TITLE))])
    return title


def rename_draft(session: Session, draft: Draft, title: str, *, by: Principal) -> Draft:
    """The secretariat gives a draft another title; issued revisions carry no title of their own,
    so their papers bear the new one too."""
    require(by, Permission.DRAFTS_MANAGE)
    title = _checked_title(title, f"draft {draft.id}")
    previous = draft.title
    if title == previous:
        return draft  # so already: nothing changes, nothing is recorded
    with transaction(session):
        draft.title = title
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.DRAFT_RENAMED,
            target_type="draft",
            target_key=draft.id,
            summary=f"renamed {title}",
            changes={"title": [previous, title]},
        )
    return draft


def heading_of(statement: str, language: str = "en") -> str:
    """An objective's heading from its statement: the whole of a short one, else the longest
    opening that ends at a clause boundary (a comma or semicolon, or before "so that",
    "through", "including"… in English; before "and", "with"… when there is no such boundary),
    never a phrase cut in the middle."""
    text = statement.strip().rstrip("".join(_ENDS) + " ")
    if language == "zh":
        return _heading_zh(text)
    words = text.split()
    if len(words) <= _HEADING_WORDS:
        return text
    for boundaries in (_STRONG, _WEAK):
        cut = 0
        for index in range(_MIN_WORDS, min(len(words), _HEADING_WORDS + 1)):
            before, word = words[index - 1], words[index].lower()
            if before.lower() in _DANGLING:
                continue
            if (before.endswith((",", ";", ":", "،", "؛")) and boundaries is _STRONG) or (
                language == "en"
                and (
                    word in boundaries
                    or (
                        index + 1 < len(words)
                        and f"{word} {words[index + 1].lower()}" in boundaries
                    )
                )
            ):
                cut = index
        if cut:
            return " ".join(words[:cut]).rstrip(",;:،؛–—")
    return text


_HEADING_WORDS = 14
_MIN_WORDS = 4
_STRONG = frozenset(
    {"so that", "in order", "through", "including", "without", "while", "where", "which",
     "regardless", "by", "–", "—"}
)  # fmt: skip
_WEAK = frozenset({"and", "with", "for", "in", "at", "on", "from"})
# "to" opens an infinitive as often as a place ("the means to deliver", "the right to work"): never
# a boundary, but no heading ends on it
_DANGLING = _WEAK | {"a", "an", "the", "that", "so", "of", "or", "to"}
_ZH_CLAUSE = re.compile(r"[，；：、]")


def _heading_zh(text: str) -> str:
    if len(text) <= 24:
        return text
    cuts = [m.start() for m in _ZH_CLAUSE.finditer(text) if 6 <= m.start() <= 24]
    return text[: cuts[-1]] if cuts else text


def sentence(text: str, language: str) -> str:
    """The text ending with a full stop in its language, unless it ends with one already."""
    text = text.rstrip()
    return text if text.endswith(_ENDS) else text + FULL_STOP.get(language, ".")


def _statement_inputs(
    lines: list[str], annex: dict[str, list[int]], sources: dict[str, list[int]]
) -> list[int]:
    """The inputs behind a statement: those the summary recorded for its S-number, linked on its
    own lines, or listed in the annex under it."""
    if lines and (reference := _STATEMENT_REF.search(lines[0])):
        return sources.get(f"S{reference.group(1)}", [])
    for line in lines[1:]:
        if line.startswith(("- ", "#")):
            break
        if ids := [int(i) for _, i in _SOURCE_LINK.findall(line)]:
            return ids
        if match := _ANNEX_REF.search(line):
            return annex.get(match.group(1), [])
    return []


def skeleton_from_summary(
    summary: Summary, number: int | None = None, *, title: str = ""
) -> ParsedDraft:
    """A zero draft's skeleton from a Chair's summary, in its language: each statement becomes an
    objective (a heading and a commitment to edit) that remembers its section and its source
    inputs. Titled `title`, else as the summary is without its "Chair's summary:"."""
    version = next((v for v in summary.versions if v.number == number), summary.current)
    language = summary.language
    parsed = ParsedDraft(
        title=title.strip() or summary.title.removeprefix("Chair's summary: "),
        origin={"summary": summary.id, "version": version.number},
    )
    parsed.elements.append(
        ParsedElement(
            ElementKind.PREAMBLE,
            "We, the Heads of State and Government and High Representatives, [preambular text "
            "to be drafted].",
            {"summary": summary.id},
        )
    )
    lines = version.markdown.split("\n")
    annex = {
        match.group(1): [int(i) for _, i in _SOURCE_LINK.findall(line)]
        for line in lines
        if (match := _ANNEX_ENTRY.match(line))
    }
    dimension = section = ""
    objectives = 0
    for index, line in enumerate(lines):
        if line.startswith("## "):
            dimension = line[3:].strip()
            if dimension.startswith(("Divergences", "Annex")):
                break
        elif line.startswith("### "):
            section = line[4:].strip()
        elif line.startswith("- ") and dimension:
            statement = _BOLD.sub("", line[2:]).strip().strip('"“”')
            if quoted := _QUOTED.search(statement):
                statement = quoted.group(1)
            objectives += 1
            origin: dict[str, Any] = {
                "summary": summary.id,
                "version": version.number,
                "theme": f"{dimension} / {section}",
                "inputs": _statement_inputs(lines[index : index + 5], annex, version.sources or {}),
            }
            heading = heading_of(statement, language)
            parsed.elements.append(
                ParsedElement(ElementKind.HEADING, heading, origin, f"Objective {objectives}")
            )
            commitment = f"We commit to {_verb(statement)}" if language == "en" else statement
            parsed.elements.append(
                ParsedElement(ElementKind.PARAGRAPH, sentence(commitment, language), origin)
            )
    return parsed


def _verb(statement: str) -> str:
    """A statement's first word as it reads after "We commit to": "Work with…" becomes "work
    with…", while a name or an acronym at its start ("UNHCR…", "Member States…") stays as written."""
    first, _, rest = statement.partition(" ")
    if len(first) > 1 and first[0].isupper() and first[1:].islower() and first not in _NAMES:
        return f"{first[0].lower()}{first[1:]} {rest}".rstrip()
    return statement


_NAMES = frozenset({"Member", "States", "Governments", "Parliaments"})


def draft_from_summary(
    session: Session,
    process: Process,
    summary_id: int,
    *,
    version: int | None = None,
    title: str = "",
    by: Principal,
) -> Draft:
    """Start a zero draft from a Chair's summary (its latest version unless one is named), in the
    summary's language, titled `title` (the process's name when none is given): each statement
    becomes an objective to edit. Only who manages drafts learns whether the summary exists."""
    require(by, Permission.DRAFTS_MANAGE)
    summary = get_summary(session, summary_id, by=by)
    named = _checked_title(title or process.name, f"summary {summary_id}")
    parsed = skeleton_from_summary(summary, version, title=named)
    check_parsed(parsed, f"summary {summary_id}")
    with transaction(session):
        draft = store_draft(
            session,
            process,
            parsed,
            by=by,
            source=f"summary {summary_id}",
            language=summary.language,
        )
        if summary.run_id is not None:
            link_from_origins(session, draft, summary.run_id, by=by)
    return draft
