"""`stocktake drafts deadline | merge | amendment-list | decisions`: the room's tools."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from sqlalchemy.orm import Session

from stocktake.core.commands import _, language, open_session, reports_errors, settings
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.negotiation.cli_common import SYSTEM, _amendment_number, _write, drafts, out
from stocktake.negotiation.exports import ExportFile
from stocktake.negotiation.models import Draft, NegotiationRound
from stocktake.negotiation.services import get_draft, rounds_of
from stocktake.negotiation.services.merging import merge_amendments
from stocktake.negotiation.services.room import (
    amendment_list,
    deadline_words,
    decisions_of,
    set_tabling_deadline,
)
from stocktake.process.services import get_process


def _round(session: Session, draft: Draft, value: str) -> NegotiationRound:
    """A round of the draft by its id or its name."""
    for item in rounds_of(session, draft):
        if value.strip() in (str(item.id), item.name):
            return item
    raise ValidationFailed(
        "round",
        [
            Problem(
                "round",
                _("no round %(round)s of draft %(draft)s", round=repr(value), draft=draft.id),
            )
        ],
    )


@drafts.command("deadline")
@reports_errors
def deadline(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    round_name: str = typer.Argument(..., metavar="ROUND", help="The round's id or name"),
    at: str = typer.Option("", help="When tabling closes, e.g. 2018-03-01T18:00 (UTC)"),
    refuse_late: bool = typer.Option(False, help="Refuse later amendments (default: mark late)"),
) -> None:
    """Set (or, without --at, clear) a round's deadline for tabling amendments."""
    try:
        moment = dt.datetime.fromisoformat(at) if at.strip() else None
    except ValueError as exc:
        raise ValidationFailed("deadline", [Problem("--at", _("is 2018-03-01T18:00"))]) from exc
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        item = _round(session, draft, round_name)
        set_tabling_deadline(session, draft, item, moment, refuse_late=refuse_late, by=SYSTEM)
        if item.tabling_deadline is None:
            out.print(_("%(round)s: no deadline for tabling", round=item.name))
        elif item.refuse_late:
            out.print(
                _(
                    "%(round)s: amendments tabled by %(when)s; later ones refused",
                    round=item.name,
                    when=deadline_words(item.tabling_deadline),
                )
            )
        else:
            out.print(
                _(
                    "%(round)s: amendments tabled by %(when)s; later ones marked late",
                    round=item.name,
                    when=deadline_words(item.tabling_deadline),
                )
            )


@drafts.command("merge")
@reports_errors
def merge(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    amendments: list[str] = typer.Argument(..., help="Two or more amendments, e.g. A2 A5"),
    new_text: str | None = typer.Option(None, help="A compromise text (default: identical)"),
    quoted: str | None = typer.Option(None, help="The words the compromise text amends"),
) -> None:
    """Merge identical amendments to a paragraph into the first, or several into a compromise."""
    # the sponsors in the command line's language (STOCKTAKE_LANGUAGE), each State by its name there
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        numbers = [_amendment_number(a) for a in amendments]
        into = merge_amendments(
            session, draft, numbers, new_text=new_text, quoted=quoted, by=SYSTEM
        )
        out.print(
            _(
                "Merged into %(amendment)s, sponsored by %(sponsors)s",
                amendment=into.label,
                sponsors=", ".join(into.sponsors_in(language())),
            )
        )


@drafts.command("amendment-list")
@reports_errors
def amendment_list_command(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    output: Path | None = typer.Option(None, "--out", help="A DOCX file (default: text on stdout)"),
) -> None:
    """The amendment list: each amended paragraph beside the pending amendments to it."""
    # in the command line's language (STOCKTAKE_LANGUAGE), each State by its name there
    from stocktake.negotiation.exports import compilation_paper
    from stocktake.negotiation.formats.lists import (
        amendment_list_docx,
        describe,
        sponsors_said,
        wording_in,
    )

    chosen = language()
    wording = wording_in(chosen)
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        rows = amendment_list(session, draft, chosen)
        if output is not None:
            paper = compilation_paper(draft, language=chosen)
            content = amendment_list_docx(process.titled(draft.title, chosen), rows, paper, wording)
            _write(ExportFile(content, output.name, "docx"), output)
            return
        numbers = {row.node.eid: row.node.number for row in rows}
        for row in rows:
            out.print(f"{row.node.number}  {row.node.text}", highlight=False)
            for a in row.amendments:
                words = f"{describe(a, numbers, wording)} ({sponsors_said(a, wording)})"
                out.print(f"    {a.label}  {words}", highlight=False)


@drafts.command("decisions")
@reports_errors
def decisions(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    round_name: str = typer.Option("", "--round", help="A round's id or name (default: all)"),
    output: Path | None = typer.Option(None, "--out", help="A DOCX file (default: text on stdout)"),
) -> None:
    """The list of decisions on a round's amendments, each with its date."""
    # in the command line's language (STOCKTAKE_LANGUAGE), each State by its name there
    from stocktake.negotiation.exports import compilation_paper
    from stocktake.negotiation.formats.lists import decision_said, decisions_docx, wording_in

    chosen = language()
    wording = wording_in(chosen)
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        item = _round(session, draft, round_name) if round_name else None
        listed = decisions_of(session, draft, item, chosen)
        if output is not None:
            paper = compilation_paper(draft, language=chosen)
            name = item.name if item else None
            content = decisions_docx(
                process.titled(draft.title, chosen), listed, paper, wording, round_name=name
            )
            _write(ExportFile(content, output.name, "docx"), output)
            return
        title = item.name if item else _("All rounds")
        out.print(_("Decisions: %(title)s", title=title), highlight=False)
        for d in listed.rows:
            date = f"{d.decided_at:%Y-%m-%d}" if d.decided_at else ""
            late = " " + _("(late)") if d.late else ""
            if d.tabled_for:
                late += " " + _("(tabled for %(round)s)", round=d.tabled_for)
            decision = decision_said(d, wording)
            out.print(
                f"{d.label}{late}  {d.paragraph}  {d.sponsor_names}  {decision}  {date}",
                highlight=False,
            )
        if listed.pending:
            out.print(
                _("%(num)s amendment(s) not decided yet", num=listed.pending), highlight=False
            )
