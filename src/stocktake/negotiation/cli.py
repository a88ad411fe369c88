from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from stocktake.core.commands import _, open_session, reports_errors, settings
from stocktake.core.errors import Problem, ValidationFailed

# cli_room's commands (deadline, merge, amendment-list, decisions) join `drafts` as it loads
from stocktake.negotiation import cli_room
from stocktake.negotiation.cli_common import (
    SYSTEM,
    _amendment_number,
    _read,
    _write,
    drafts,
    out,
)
from stocktake.negotiation.cli_links import links
from stocktake.negotiation.exports import (
    compilation_of,
    export_amendment,
    export_comparison,
    export_compilation,
    export_text,
    parse_revision,
    text_of,
)
from stocktake.negotiation.formats.reading import read_draft
from stocktake.negotiation.models import (
    AmendmentStatus,
    CompilationReaders,
    Draft,
)
from stocktake.negotiation.services import (
    AmendmentData,
    PaperDetails,
    add_language_version,
    decide_amendment,
    draft_from_summary,
    get_amendment,
    get_draft,
    import_draft,
    issue_revision,
    list_drafts,
    list_links,
    propose_amendment,
    publish_revision,
    rename_draft,
    set_compilation_readers,
    set_paper_details,
)
from stocktake.process.services import get_process

drafts.add_typer(links, name="links")


@drafts.command("import")
@reports_errors
def import_file(
    file: Path = typer.Argument(..., help="A DOCX, Markdown or text, or Akoma Ntoso XML file"),
    file_format: str | None = typer.Option(
        None, "--format", help="docx, md, txt or akn (default: from the file name)"
    ),
    title: str | None = typer.Option(None, help="The draft's title (default: from the file)"),
    language: str = typer.Option("en", help="The text's language (ISO 639-1)"),
) -> None:
    """Import a draft; prints the new draft's id as the last word."""
    parsed = read_draft(_read(file), file.name, file_format)
    if title:
        parsed.title = title
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = import_draft(
            session, process, parsed, by=SYSTEM, source=file.name, language=language
        )
        out.print(
            _(
                "Imported %(num)s elements of %(title)s as draft %(draft)s",
                num=len(draft.elements),
                title=repr(draft.title),
                draft=draft.id,
            )
        )


@drafts.command("from-summary")
@reports_errors
def from_summary(
    summary: int = typer.Argument(..., help="The Chair's summary's id"),
    version: int | None = typer.Option(None, help="Its version (default: the latest)"),
    title: str = typer.Option("", help="The draft's title (default: the process's name)"),
) -> None:
    """Start a zero draft from a Chair's summary: its statements become objectives to edit."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = draft_from_summary(
            session, process, summary, version=version, title=title, by=SYSTEM
        )
        linked = len(list_links(session, draft))
        out.print(
            _(
                "Started %(title)s with %(num)s elements as draft %(draft)s, "
                "linked to the clusters by %(links)s links",
                title=repr(draft.title),
                num=len(draft.elements),
                draft=draft.id,
                links=linked,
            )
        )


@drafts.command("rename")
@reports_errors
def rename(
    draft_id: int = typer.Argument(..., help="The draft's id"),
    title: str = typer.Argument(..., help="Its new title"),
) -> None:
    """Give a draft another title."""
    with open_session() as session:
        draft = get_draft(session, get_process(session, settings().process), draft_id, by=SYSTEM)
        rename_draft(session, draft, title, by=SYSTEM)
        out.print(_("Draft %(draft)s is now titled %(title)s", draft=draft.id, title=repr(title)))


@drafts.command("list")
@reports_errors
def list_all() -> None:
    """The drafts with their revisions."""
    with open_session() as session:
        process = get_process(session, settings().process)
        for draft in list_drafts(session, process, by=SYSTEM):
            revisions = ", ".join(r.label for r in draft.revisions) or _("no revision issued")
            out.print(f"{draft.id}\t{draft.title}\t{revisions}", highlight=False)


@drafts.command("show")
@reports_errors
def show(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    revision: str | None = typer.Option(None, help="A revision (default: the working text)"),
) -> None:
    """The text with each element's identity, number and status: what amendments refer to."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        nodes, label = text_of(draft, parse_revision(draft, revision) if revision else None)
        out.print(f"{draft.title} ({label})", highlight=False)
        for node in nodes:
            out.print(
                f"{node.eid:<10} {node.number:<6} {node.status:<16} {node.text}", highlight=False
            )


@drafts.command("amend")
@reports_errors
def amend(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    sponsor: str = typer.Option(..., help="The sponsoring actor's code"),
    kind: str = typer.Option(
        ...,
        help="insert, delete, replace, alternative, add_paragraph, delete_paragraph, move_paragraph",
    ),
    target: str = typer.Option(..., help="The element's identity, e.g. para_12"),
    quoted: str = typer.Option("", help="The exact words amended"),
    occurrence: int = typer.Option(1, help="Which occurrence of the quoted words"),
    placement: str = typer.Option("after", help="insert: before or after the quoted words"),
    new_text: str = typer.Option("", help="The proposed words"),
    destination: str = typer.Option("", help="move_paragraph: the element to move after"),
    justification: str = typer.Option("", help="Why"),
    co_sponsor: list[str] = typer.Option([], help="A co-sponsoring actor's code (repeatable)"),
) -> None:
    """Record an amendment as the secretariat reads it into the record."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        amendment = propose_amendment(
            session,
            draft,
            AmendmentData(
                kind=kind,
                target=target,
                sponsor=sponsor,
                quoted=quoted,
                occurrence=occurrence,
                placement=placement,
                new_text=new_text,
                destination=destination,
                justification=justification,
                co_sponsors=co_sponsor,
            ),
            by=SYSTEM,
        )
        if amendment.late:
            out.print(
                _(
                    "Recorded amendment %(amendment)s (late: after the round's deadline for tabling)",
                    amendment=amendment.label,
                )
            )
        else:
            out.print(_("Recorded amendment %(amendment)s", amendment=amendment.label))


@drafts.command("decide")
@reports_errors
def decide(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    amendment: str = typer.Argument(..., help="The amendment, e.g. A3"),
    status: AmendmentStatus = typer.Argument(..., help="The new status"),
    modified_text: str = typer.Option("", help="accepted_as_modified: the agreed words"),
) -> None:
    """Set an amendment's status."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        item = get_amendment(session, draft, _amendment_number(amendment))
        decide_amendment(session, draft, item, status, modified_text=modified_text, by=SYSTEM)
        out.print(_("%(amendment)s is %(status)s", amendment=item.label, status=status.value))


@drafts.command("issue")
@reports_errors
def issue(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    note: str = typer.Option("", help="A note kept with the revision"),
    final: bool = typer.Option(False, help="Issue the final text"),
) -> None:
    """Issue the next revision (the first is the zero draft) with the accepted amendments."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        revision = issue_revision(session, draft, note=note, final=final, by=SYSTEM)
        out.print(
            _(
                "Issued %(revision)s of draft %(draft)s: %(num)s amendment(s) applied",
                revision=revision.label,
                draft=draft.id,
                num=len(revision.applied),
            )
        )


@drafts.command("publish")
@reports_errors
def publish(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    revision: str = typer.Argument(..., help="A revision: 0, zero, 1, Rev.1, final"),
) -> None:
    """Publish an issued revision: stakeholders and the public then read it."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        item = publish_revision(session, draft, parse_revision(draft, revision).number, by=SYSTEM)
        out.print(
            _("Published %(revision)s of draft %(draft)s", revision=item.label, draft=draft.id)
        )


@drafts.command("paper")
@reports_errors
def paper(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    symbol: str = typer.Option("", help="The document symbol, e.g. A/CONF.231/3"),
    distribution: str = typer.Option("General", help="General, Limited or Restricted"),
    dated: str = typer.Option("", "--date", help="The date the papers bear (default: issue)"),
    size: str = typer.Option("A4", "--paper", help="A4 or Letter"),
    line_numbers: bool = typer.Option(False, help="Number the lines of DOCX papers"),
) -> None:
    """Set the symbol, distribution line, date and layout of a draft's papers."""
    try:
        date = dt.date.fromisoformat(dated) if dated else None
    except ValueError as exc:
        raise ValidationFailed("paper", [Problem("--date", _("is a date: 2018-03-05"))]) from exc
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        details = PaperDetails(symbol, distribution, date, size, line_numbers)
        set_paper_details(session, draft, details, by=SYSTEM)
        out.print(
            _(
                "draft %(draft)s: %(symbol)s, %(paper)s",
                draft=draft.id,
                symbol=draft.symbol or _("no symbol"),
                paper=draft.paper,
            )
        )


@drafts.command("readers")
@reports_errors
def readers(
    who: CompilationReaders = typer.Argument(
        ..., help="Who reads working and compilation texts before they are published"
    ),
) -> None:
    """Set who reads unpublished working and compilation texts in this process."""
    with open_session() as session:
        process = get_process(session, settings().process)
        set_compilation_readers(session, process, who, by=SYSTEM)
        out.print(
            _(
                "Compilation texts of %(process)s are read by: %(readers)s",
                process=process.short_name,
                readers=who.value,
            )
        )


@drafts.command("export")
@reports_errors
def export(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    revision: str | None = typer.Option(None, help="A revision (default: the latest)"),
    file_format: str = typer.Option("docx", "--format", help="docx, html, md or akn"),
    language: str | None = typer.Option(
        None, help="A language version: ar, en, es, fr, ru or zh (default: the original)"
    ),
    output: Path | None = typer.Option(None, "--out", help="File to write (default: stdout)"),
) -> None:
    """Export a revision as DOCX, HTML, Markdown or Akoma Ntoso 3.0 XML."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        chosen = (
            parse_revision(draft, revision)
            if revision
            else (draft.revisions[-1] if draft.revisions else None)
        )
        file = export_text(process, draft, chosen, file_format, language=language)
    _write(file, output)


@drafts.command("compile")
@reports_errors
def compile_text(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    file_format: str = typer.Option("html", "--format", help="html, md, docx or akn"),
    output: Path | None = typer.Option(None, "--out", help="File to write (default: stdout)"),
    queue: bool = typer.Option(
        False,
        "--queue",
        help="Make the Word document by a job, which a worker runs (a large compilation); it is "
        "then at /jobs/ID/file",
    ),
) -> None:
    """The compilation text: every pending amendment in brackets with its sponsors."""
    if queue:
        _queue_compilation(draft_id, file_format)
        return
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        file = export_compilation(
            compilation_of(session, process, draft, by=SYSTEM), draft, file_format
        )
    _write(file, output)


def _queue_compilation(draft_id: int, file_format: str) -> None:
    from stocktake.core.jobs.files import made_folder
    from stocktake.negotiation.jobs import queue_compilation_docx

    if file_format != "docx":
        raise ValidationFailed(
            "--queue", [Problem("--format", _("a job makes the Word document only: --format docx"))]
        )
    config = settings()
    with open_session() as session:
        process = get_process(session, config.process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        job = queue_compilation_docx(session, process, draft, by=SYSTEM, folder=made_folder(config))
    out.print(_("Queued as job %(job)s: a worker writes the Word document.", job=job.id))


@drafts.command("export-amendment")
@reports_errors
def export_one_amendment(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    number: int = typer.Argument(..., metavar="NUMBER", help="The amendment's number (1 for A1)"),
    file_format: str = typer.Option("akn", "--format", help="akn"),
    output: Path | None = typer.Option(None, "--out", help="File to write (default: stdout)"),
) -> None:
    """Export an amendment as an Akoma Ntoso 3.0 amendment document."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        file = export_amendment(draft, get_amendment(session, draft, number), file_format)
    _write(file, output)


@drafts.command("compare")
@reports_errors
def compare(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    old: str = typer.Argument(..., metavar="R1", help="The earlier revision: 0, zero, 1, Rev.1 …"),
    new: str = typer.Argument(..., metavar="R2", help="The later revision"),
    file_format: str = typer.Option(
        "md", "--format", help="html, md, docx (a redline) or tracked (DOCX, tracked changes)"
    ),
    side_by_side: bool = typer.Option(False, help="html: two columns instead of a redline"),
    language: str | None = typer.Option(
        None, help="Compare the versions in this language (both revisions must have one)"
    ),
    output: Path | None = typer.Option(None, "--out", help="File to write (default: stdout)"),
) -> None:
    """Compare two revisions word by word, following paragraphs across renumbering and moves."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        file = export_comparison(
            draft,
            parse_revision(draft, old),
            parse_revision(draft, new),
            file_format,
            side_by_side=side_by_side,
            language=language,
        )
    _write(file, output)


@drafts.command("language")
@reports_errors
def language_version(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    language: str = typer.Argument(..., help="ar, en, es, fr, ru or zh"),
    file: Path = typer.Argument(..., help="The version as DOCX or Markdown"),
    revision: str | None = typer.Option(
        None, help="The revision it translates: 0, zero, 1, Rev.1 … (default: the working text)"
    ),
    replace: bool = typer.Option(
        False, help="Replace a version already added to an issued revision (a new edition)"
    ),
    note: str = typer.Option("", help="A note kept with the version"),
) -> None:
    """Add a revision's version in another official language, aligned element by element."""
    if file.suffix.lower() not in (".docx", ".md", ".markdown", ".txt"):
        raise ValidationFailed(
            str(file), [Problem("format", _("a language version is DOCX or Markdown"))]
        )
    parsed = read_draft(_read(file), file.name)
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        number = parse_revision(draft, revision).number if revision else None
        version = add_language_version(
            session,
            draft,
            language,
            parsed,
            revision=number,
            replace=replace,
            source=file.name,
            note=note,
            by=SYSTEM,
        )
        label = revision_label_of(draft, number)
        out.print(
            _(
                "Added the %(language)s version of %(revision)s of draft %(draft)s: edition "
                "%(edition)s, %(num)s elements aligned",
                language=version.language,
                revision=label,
                draft=draft.id,
                edition=version.edition,
                num=len(version.texts),
            )
        )


def revision_label_of(draft: Draft, number: int | None) -> str:
    return next((r.label for r in draft.revisions if r.number == number), _("the working text"))


__all__ = ["cli_room", "drafts"]
