"""Language versions: a revision (or the working text) in the other official languages, aligned
with the original element by element through the stable identities.

A language version is refused whole when its elements do not align with the text it translates,
naming the first that does not. An issued revision's text never changes; a language version of
it, once added, is replaced only by a new edition that says so (`replace=True`), kept beside the
earlier one and recorded in the audit log.
"""

from __future__ import annotations

import re
from dataclasses import replace as copied

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict, NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.negotiation.formats.office import LANGUAGE_NAMES
from stocktake.negotiation.formats.reading import ParsedDraft, ParsedElement
from stocktake.negotiation.models import Draft, DraftRevision, ElementKind, LanguageVersion
from stocktake.negotiation.said import (
    element_named,
    kind_named,
    language_named,
    languages_named,
    longer_than,
    revision_named,
)
from stocktake.negotiation.services.drafts import MAX_ELEMENT_CHARS
from stocktake.negotiation.services.queries import revision_of, working_nodes
from stocktake.negotiation.services.revisions import revision_nodes
from stocktake.negotiation.text import Node
from stocktake.process.definition import LANGUAGES


def language_name(language: str) -> str:
    return LANGUAGE_NAMES.get(language, language)


def check_language(language: str, where: str = "language version") -> str:
    """One of the six official languages; any other is refused, naming those offered."""
    code = language.strip().lower()
    if code not in LANGUAGES:
        raise ValidationFailed(
            where,
            [
                Problem(
                    "language",
                    Text(
                        "the process does not offer %(language)r; choose one of %(languages)s",
                        language=language,
                        languages=", ".join(LANGUAGES),
                    ),
                )
            ],
        )
    return code


def text_label(revision: DraftRevision | None) -> str:
    return revision_named(revision.label) if revision is not None else Text("the working text")


def _where(node: Node) -> str:
    named = element_named(node.kind, node.number) if node.number else kind_named(node.kind)
    return Text("%(element)s (%(eid)s)", element=named, eid=node.eid)


def _quote(text: str) -> str:
    words = " ".join(text.split())
    return f"“{words[:60]}{'…' if len(words) > 60 else ''}”"


_DIGITS = re.compile(r"\d+")
_ANY_LABEL = re.compile(r"^(\w+(?:\s+\w+)?\s*\d+)\s*[:：.–—-]\s*(\S.*)$")
"""A heading's typed number in any script: "Цель 5:", "الهدف 5:", "目标5：" (the reader knows
only Latin words for them)."""


def heading_label(node: Node, element: ParsedElement) -> tuple[str, str]:
    """The version's own label of a heading the original numbers with a label, and its words."""
    if not node.label or element.label or element.kind != ElementKind.HEADING:
        return element.label, element.text
    if match := _ANY_LABEL.match(element.text):
        return " ".join(match.group(1).split()), match.group(2)
    return "", element.text


def _numbers(label: str) -> list[int]:
    return [int(digits) for digits in _DIGITS.findall(label)]  # ٥ and 5 are the same number


def _element_problem(node: Node, element: ParsedElement, label: str) -> str | None:
    """What is wrong with one element of a version against the element it stands for."""
    if element.kind != node.kind:
        return Text(
            "%(text)s has %(element)s here, the version a %(kind)s: %(quote)s",
            text=label,
            element=_where(node),
            kind=kind_named(element.kind),
            quote=_quote(element.text),
        )
    words = heading_label(node, element)[0]
    ours, theirs = _numbers(node.label), _numbers(words)
    if ours and theirs and ours != theirs:
        return Text(
            "%(text)s has %(element)s here, the version %(words)r: %(quote)s",
            text=label,
            element=_where(node),
            words=words,
            quote=_quote(element.text),
        )
    if not element.text.strip():
        return Text("the version's %(kind)s is empty", kind=kind_named(element.kind))
    if len(element.text) > MAX_ELEMENT_CHARS:
        return longer_than(MAX_ELEMENT_CHARS)
    return None


def misalignment(nodes: list[Node], elements: list[ParsedElement], label: str) -> Problem | None:
    """The first place where a language version does not follow the text it translates: an
    element of another kind, a heading numbered otherwise, one too many or too few."""
    for position, (node, element) in enumerate(zip(nodes, elements, strict=False), start=1):
        if message := _element_problem(node, element, label):
            return Problem(f"element {position}", message)
    count = Text("(%(elements)s elements for %(nodes)s)", elements=len(elements), nodes=len(nodes))
    if len(elements) < len(nodes):
        missing = nodes[len(elements)]
        return Problem(
            f"element {len(elements) + 1}",
            Text(
                "the version ends before %(element)s of %(text)s %(count)s",
                element=_where(missing),
                text=label,
                count=count,
            ),
        )
    if len(elements) > len(nodes):
        extra = elements[len(nodes)]
        return Problem(
            f"element {len(nodes) + 1}",
            Text(
                "%(text)s ends before it, the version goes on with a %(kind)s: %(quote)s %(count)s",
                text=label,
                kind=kind_named(extra.kind),
                quote=_quote(extra.text),
                count=count,
            ),
        )
    return None


def _source_nodes(draft: Draft, revision: int | None) -> tuple[DraftRevision | None, list[Node]]:
    if revision is None:
        return None, working_nodes(draft)
    chosen = revision_of(draft, revision)
    return chosen, revision_nodes(chosen)


def editions(session: Session, draft: Draft, revision: int | None) -> list[LanguageVersion]:
    """Every edition of every language version of a revision (None: the working text)."""
    number = (
        LanguageVersion.revision_number.is_(None)
        if revision is None
        else LanguageVersion.revision_number == revision
    )
    return list(
        session.scalars(
            select(LanguageVersion)
            .where(LanguageVersion.draft_id == draft.id, number)
            .order_by(LanguageVersion.language, LanguageVersion.edition)
        )
    )


def language_versions(
    session: Session, draft: Draft, revision: int | None
) -> dict[str, LanguageVersion]:
    """The current edition of each language version of a revision, by language."""
    return {version.language: version for version in editions(session, draft, revision)}


def languages_by_revision(session: Session, draft: Draft) -> dict[int | None, list[str]]:
    """The languages each revision (None: the working text) has a version in."""
    out: dict[int | None, list[str]] = {}
    for number, language in session.execute(
        select(LanguageVersion.revision_number, LanguageVersion.language)
        .where(LanguageVersion.draft_id == draft.id)
        .distinct()
        .order_by(LanguageVersion.language)
    ):
        out.setdefault(number, []).append(language)
    return out


def add_language_version(
    session: Session,
    draft: Draft,
    language: str,
    parsed: ParsedDraft,
    *,
    revision: int | None,
    replace: bool = False,
    source: str = "",
    note: str = "",
    by: Principal,
) -> LanguageVersion:
    """Add a revision's (or the working text's) version in another official language, read from
    a file. Refused whole, naming the first element, when its elements do not align; a version
    of an issued revision that exists already is replaced only when `replace` says so, by a new
    edition (the earlier one is kept)."""
    require(by, Permission.DRAFTS_MANAGE)
    where = f"{language_name(language)} version"  # where: the English key of the refusal
    code = check_language(language, where)
    if code == draft.language:
        raise ValidationFailed(
            where,
            [
                Problem(
                    "language",
                    Text(
                        "the draft is written in %(language)s: its text is the original",
                        language=language_named(code),
                    ),
                )
            ],
        )
    chosen, nodes = _source_nodes(draft, revision)
    label = text_label(chosen)
    where = f"{language_name(code)} version of {label}"
    if problem := misalignment(nodes, parsed.elements, label):
        raise ValidationFailed(where, [problem])
    current = language_versions(session, draft, revision).get(code)
    if current is not None and chosen is not None and not replace:
        raise Conflict(
            Text(
                "the %(language)s version of %(text)s exists already (edition %(edition)s, added "
                "%(added)s); it is replaced only by a new edition that says so",
                language=language_named(code),
                text=label,
                edition=current.edition,
                added=f"{current.added_at:%Y-%m-%d}",
            )
        )
    with transaction(session):
        last = session.scalar(
            select(func.max(LanguageVersion.edition)).where(
                LanguageVersion.draft_id == draft.id,
                LanguageVersion.revision_number.is_(None)
                if revision is None
                else LanguageVersion.revision_number == revision,
                LanguageVersion.language == code,
            )
        )
        version = LanguageVersion(
            draft_id=draft.id,
            revision_number=revision,
            language=code,
            edition=(last or 0) + 1,
            title=parsed.title.strip()[:500],
            texts=[
                _text(node, element) for node, element in zip(nodes, parsed.elements, strict=True)
            ],
            source=source[:300],
            note=note.strip()[:500],
            added_by=by.label,
        )
        session.add(version)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.LANGUAGE_VERSION_REPLACED
            if current is not None
            else AuditAction.LANGUAGE_VERSION_ADDED,
            target_type="draft",
            target_key=draft.id,
            summary=f"{where}: edition {version.edition}, {len(nodes)} elements"
            + (f", replacing edition {current.edition}" if current is not None else ""),
        )
    return version


def _text(node: Node, element: ParsedElement) -> dict[str, str]:
    label, text = heading_label(node, element)
    item = {"eid": node.eid, "text": text}
    if label:
        item["label"] = label
    if after := element.origin.get("after"):
        item["after"] = str(after)  # the words a footnote's mark follows, in this language
    return item


def in_language(nodes: list[Node], version: LanguageVersion) -> list[Node]:
    """The text's elements with the words of a language version, matched by identity: the
    numbers stay the text's, a heading's own typed number becomes the version's."""
    texts = {item["eid"]: item for item in version.texts}
    out = []
    for node in nodes:
        item = texts.get(node.eid)
        if item is None:
            out.append(copied(node))
            continue
        label = item.get("label", "") if node.label else ""
        origin = node.origin
        if node.kind == ElementKind.FOOTNOTE:
            origin = {**node.origin, "after": item.get("after", "")}
        out.append(
            copied(
                node,
                text=item["text"],
                label=label or node.label,
                number=label or node.number,
                origin=origin,
            )
        )
    return out


def nodes_in(
    session: Session, draft: Draft, revision: DraftRevision | None, language: str | None
) -> tuple[list[Node], str]:
    """A revision's (or the working text's) elements in a language and the title in it; the
    original when no language or the draft's own is asked for. A language it has no version in
    is refused, naming the languages it has."""
    nodes = revision_nodes(revision) if revision is not None else working_nodes(draft)
    if not language or language == draft.language:
        return nodes, title_of(draft, revision)
    code = check_language(language, f"{text_label(revision)}")
    version = language_versions(
        session, draft, revision.number if revision is not None else None
    ).get(code)
    if version is None:
        have = [draft.language, *language_versions(session, draft, _number(revision))]
        raise NoLanguageVersion(code, text_label(revision), have)
    return in_language(nodes, version), version.title or title_of(draft, revision)


def title_of(draft: Draft, revision: DraftRevision | None) -> str:
    """The title a revision was issued under; the draft's now for the working text."""
    return revision.title if revision is not None else draft.title


def _number(revision: DraftRevision | None) -> int | None:
    return revision.number if revision is not None else None


class NoLanguageVersion(NotFound):
    """A text asked for in a language it has no version in."""

    def __init__(self, language: str, label: str, have: list[str]) -> None:
        super().__init__(Text("language version"), language)
        self.text = Text(
            "%(text)s has no %(language)s version; it is in %(languages)s",
            text=label,
            language=language_named(language),
            languages=languages_named(have),
        )
        self.args = (str(self.text),)
