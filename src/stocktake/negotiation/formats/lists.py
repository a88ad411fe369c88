"""The room's lists as an office sends them: the amendment list in two columns (the text | the
proposed amendments with their sponsors) and the list of decisions of a round, in DOCX."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stocktake.core.translation import (
    DEFAULT_LANGUAGE,
    catalog,
    format_day,
    isolated,
    translatable,
    translatable_plural,
)
from stocktake.core.typography import quoted
from stocktake.negotiation.formats.compilation import BETWEEN_PARTS
from stocktake.negotiation.formats.office import Paper, new_document, save
from stocktake.negotiation.models import AmendmentKind
from stocktake.negotiation.services.queries import AmendmentView

if TYPE_CHECKING:
    from stocktake.negotiation.services.room import Decision, Decisions, ListedParagraph


def _same(message: str) -> str:
    return message


def _counted(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def _english_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Wording:
    """How the lists say things: English as written here, or a language's catalog (`gettext`,
    `ngettext`) with its dates (`day`); the texts are marked for the catalogs."""

    gettext: Callable[[str], str] = _same
    ngettext: Callable[[str, str, int], str] = _counted
    day: Callable[[dt.date], str] = _english_day
    long_day: Callable[[dt.date], str] = _english_day  # under a paper's title
    language: str = DEFAULT_LANGUAGE  # whose quotation marks quote the words amended


ENGLISH = Wording()


def wording_in(language: str) -> Wording:
    """The lists in `language` (a page's reader, the command line's): headings, decisions, dates."""
    if language == DEFAULT_LANGUAGE:
        return ENGLISH
    from stocktake.negotiation.formats.writing import long_day

    translations = catalog(language)
    return Wording(
        translations.gettext,
        translations.ngettext,
        lambda day: format_day(day, language),
        lambda day: long_day(day, language),
        language,
    )


_DESCRIBED = {
    "insert_after": translatable("Insert %(new)s after %(old)s"),
    "insert_before": translatable("Insert %(new)s before %(old)s"),
    AmendmentKind.DELETE: translatable("Delete %(old)s"),
    AmendmentKind.REPLACE: translatable("Replace %(old)s with %(new)s"),
    AmendmentKind.ALTERNATIVE: translatable("Replace the paragraph with: %(new)s"),
    "add_paragraph": translatable("Add after it a new paragraph: %(new)s"),
    "add_point": translatable("Add after it a new point: %(new)s"),
    "add_preamble": translatable("Add after it a new preamble: %(new)s"),
    AmendmentKind.DELETE_PARAGRAPH: translatable("Delete the paragraph"),
    AmendmentKind.MOVE_PARAGRAPH: translatable("Move the paragraph after %(where)s"),
}
_DECISIONS = {
    "accepted": translatable("accepted"),
    "accepted_as_modified": translatable("accepted as modified"),
    "rejected": translatable("rejected"),
    "withdrawn": translatable("withdrawn"),
    "merged": translatable("merged"),
    "superseded": translatable("superseded"),
}


def _kept(isolate: bool) -> Callable[[str], str]:
    return isolated if isolate else _same


def describe(
    amendment: AmendmentView,
    numbers: dict[str, str],
    wording: Wording = ENGLISH,
    *,
    isolate: bool = False,
) -> str:
    """What an amendment proposes, in words: Replace "common" with "joint"; `isolate` (a page in
    a right-to-left language): the text's words quoted keep their own direction."""
    keep = _kept(isolate)
    values = {
        "old": quoted(keep(amendment.quoted or ""), wording.language),
        "new": quoted(keep(amendment.new_text or ""), wording.language),
        "where": numbers.get(amendment.destination_eid or "", amendment.destination_eid or "?"),
    }
    kind = AmendmentKind(amendment.kind)
    key: str = kind
    if kind is AmendmentKind.INSERT:
        key = "insert_before" if amendment.placement == "before" else "insert_after"
    elif kind is AmendmentKind.ADD_PARAGRAPH:
        key = f"add_{amendment.new_kind}"
    if key not in _DESCRIBED:
        return amendment.kind
    return wording.gettext(_DESCRIBED[key]) % values


def sponsors_said(
    amendment: AmendmentView, wording: Wording = ENGLISH, *, isolate: bool = False
) -> str:
    """Who tables the amendment and where the others stand, in the list's language:
    "GRULAC, Philippines; supported by Canada; opposed by EU", each actor by the name delegates
    know it by; `isolate`, as for `describe`."""
    keep = _kept(isolate)
    say = wording.gettext
    parts = [keep(amendment.named(amendment.sponsors, say) or "?")]
    if amendment.supporters:
        actors = keep(amendment.named(amendment.supporters, say))
        parts.append(wording.gettext(translatable("supported by %(actors)s")) % {"actors": actors})
    if amendment.objectors:
        actors = keep(amendment.named(amendment.objectors, say))
        parts.append(wording.gettext(translatable("opposed by %(actors)s")) % {"actors": actors})
    if amendment.late:
        parts.append(wording.gettext(translatable("late")))
    return wording.gettext(BETWEEN_PARTS).join(parts)


def decision_said(row: Decision, wording: Wording = ENGLISH) -> str:
    """A decision in words: accepted, merged into A7 …"""
    if row.status == "merged" and row.merged_into is not None:
        said = wording.gettext(translatable("merged into %(amendment)s"))
        return said % {"amendment": f"A{row.merged_into}"}
    if row.status in _DECISIONS:
        return wording.gettext(_DECISIONS[row.status])
    return row.decision


def _table(document: Any, headers: Sequence[str], widths_mm: Sequence[float]) -> Any:
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header, width in zip(table.rows[0].cells, headers, widths_mm, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0].add_run(header).bold = True
    return table


def _row(table: Any, widths_mm: Sequence[float]) -> Any:
    from docx.shared import Mm

    cells = table.add_row().cells
    for cell, width in zip(cells, widths_mm, strict=True):
        cell.width = Mm(width)
    return cells


def amendment_list_docx(
    title: str, rows: list[ListedParagraph], paper: Paper, wording: Wording = ENGLISH
) -> bytes:
    """Two columns: each amended paragraph as it stands, and beside it the amendments proposed
    to it, each with its sponsors, supporters, objectors and "late"."""
    document = new_document(paper)
    say = wording.gettext
    document.add_heading(title, 0)
    document.add_paragraph(say(translatable("Amendment list")))
    if paper.date is not None:
        received = say(translatable("Amendments received by %(date)s"))
        document.add_paragraph(received % {"date": wording.long_day(paper.date)})
    numbers = {row.node.eid: row.node.number for row in rows}
    widths = (80.0, 80.0)
    headers = (say(translatable("Text")), say(translatable("Proposed amendment")))
    table = _table(document, headers, widths)
    for row in rows:
        left, right = _row(table, widths)
        paragraph = left.paragraphs[0]
        paragraph.add_run(f"{row.node.number}\t").bold = True
        paragraph.add_run(row.node.text)
        for index, amendment in enumerate(row.amendments):
            cell_paragraph = right.paragraphs[0] if index == 0 else right.add_paragraph()
            cell_paragraph.add_run(f"{amendment.label}\t").bold = True
            cell_paragraph.add_run(describe(amendment, numbers, wording))
            cell_paragraph.add_run(f" ({sponsors_said(amendment, wording)})").italic = True
    if not rows:
        document.add_paragraph(say(translatable("No amendment is pending.")))
    return save(document)


def decisions_docx(
    title: str,
    decisions: Decisions,
    paper: Paper,
    wording: Wording = ENGLISH,
    round_name: str | None = None,
) -> bytes:
    """Each decided amendment of a round (`round_name`; of every round when None), with its
    decision and the date it was taken."""
    say = wording.gettext
    document = new_document(paper)
    document.add_heading(say(translatable("Decisions: %(title)s")) % {"title": title}, level=0)
    document.add_paragraph(round_name or say(translatable("All rounds")))
    widths = (20.0, 22.0, 40.0, 50.0, 28.0)
    headers = (
        say(translatable("Amendment")),
        say(translatable("Paragraph")),
        say(translatable("Sponsors")),
        say(translatable("Decision")),
        say(translatable("Date")),
    )
    table = _table(document, headers, widths)
    late = say(translatable("(late)"))
    for row in decisions.rows:
        decision = decision_said(row, wording)
        decision += f': "{row.modified_text}"' if row.modified_text else ""
        date = wording.day(row.decided_at.date()) if row.decided_at else ""
        cells = _row(table, widths)
        label = row.label + (f" {late}" if row.late else "")
        if row.tabled_for:
            label += " " + say(translatable("(tabled for %(round)s)")) % {"round": row.tabled_for}
        for cell, text in zip(
            cells, (label, row.paragraph, row.sponsor_names, decision, date), strict=True
        ):
            cell.paragraphs[0].add_run(text)
    if decisions.pending:
        said = wording.ngettext(
            *translatable_plural(
                "%(num)s amendment not decided yet.", "%(num)s amendments not decided yet."
            ),
            decisions.pending,
        )
        document.add_paragraph(said % {"num": decisions.pending})
    return save(document)
