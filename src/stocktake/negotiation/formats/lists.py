"""The room's lists as an office sends them: the amendment list in two columns (the text | the
proposed amendments with their sponsors) and the list of decisions of a round, in DOCX."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from stocktake.negotiation.formats.compilation import sponsor_line
from stocktake.negotiation.formats.office import Paper, new_document, save
from stocktake.negotiation.models import AmendmentKind
from stocktake.negotiation.services.queries import AmendmentView

if TYPE_CHECKING:
    from stocktake.negotiation.services.room import Decisions, ListedParagraph


def describe(amendment: AmendmentView, numbers: dict[str, str]) -> str:
    """What an amendment proposes, in words: Replace "common" with "joint"."""
    old, new = amendment.quoted, amendment.new_text
    where = numbers.get(amendment.destination_eid or "", amendment.destination_eid or "?")
    words = {
        AmendmentKind.INSERT: f'Insert "{new}" {amendment.placement} "{old}"',
        AmendmentKind.DELETE: f'Delete "{old}"',
        AmendmentKind.REPLACE: f'Replace "{old}" with "{new}"',
        AmendmentKind.ALTERNATIVE: f'Replace the paragraph with: "{new}"',
        AmendmentKind.ADD_PARAGRAPH: f'Add after it a new {amendment.new_kind}: "{new}"',
        AmendmentKind.DELETE_PARAGRAPH: "Delete the paragraph",
        AmendmentKind.MOVE_PARAGRAPH: f"Move the paragraph after {where}",
    }
    return words.get(AmendmentKind(amendment.kind), amendment.kind)


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


def amendment_list_docx(title: str, rows: list[ListedParagraph], paper: Paper) -> bytes:
    """Two columns: each amended paragraph as it stands, and beside it the amendments proposed
    to it, each with its sponsors, supporters, objectors and "late"."""
    document = new_document(paper)
    document.add_heading(f"Amendment list: {title}", level=0)
    numbers = {row.node.eid: row.node.number for row in rows}
    widths = (80.0, 80.0)
    table = _table(document, ("Text", "Proposed amendment"), widths)
    for row in rows:
        left, right = _row(table, widths)
        paragraph = left.paragraphs[0]
        paragraph.add_run(f"{row.node.number}\t").bold = True
        paragraph.add_run(row.node.text)
        for index, amendment in enumerate(row.amendments):
            cell_paragraph = right.paragraphs[0] if index == 0 else right.add_paragraph()
            cell_paragraph.add_run(f"{amendment.label}\t").bold = True
            cell_paragraph.add_run(describe(amendment, numbers))
            cell_paragraph.add_run(f" ({sponsor_line(amendment)})").italic = True
    if not rows:
        document.add_paragraph("No amendment is pending.")
    return save(document)


def decisions_docx(title: str, decisions: Decisions, paper: Paper) -> bytes:
    """Each decided amendment of a round, with its decision and the date it was taken."""
    document = new_document(paper)
    document.add_heading(f"Decisions: {title}", level=0)
    document.add_paragraph(decisions.title)
    widths = (20.0, 22.0, 40.0, 50.0, 28.0)
    table = _table(document, ("Amendment", "Paragraph", "Sponsors", "Decision", "Date"), widths)
    for row in decisions.rows:
        decision = row.decision + (f': "{row.modified_text}"' if row.modified_text else "")
        date = f"{row.decided_at.day} {row.decided_at:%B %Y}" if row.decided_at else ""
        cells = _row(table, widths)
        label = row.label + (" (late)" if row.late else "")
        for cell, text in zip(
            cells, (label, row.paragraph, row.sponsors, decision, date), strict=True
        ):
            cell.paragraphs[0].add_run(text)
    if decisions.pending:
        document.add_paragraph(f"{decisions.pending} amendment(s) not decided yet.")
    return save(document)
