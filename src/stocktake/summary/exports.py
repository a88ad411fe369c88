"""A summary version as a file to download: Markdown, HTML, DOCX (with an annex naming every input
behind each statement) or the sources as CSV; shared by the pages and the API. Each is in the
summary's language (its fixed words, the HTML's language and direction), and its links start with
the site's public address (the `public_url` setting, as in e-mails), so that they still work once
the file is on a reader's disk."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.config import get_settings
from stocktake.consultation.models import Input, InputStatus
from stocktake.core.permissions import Permission, Principal
from stocktake.core.spreadsheets import csv_text
from stocktake.process.services import process_name_of
from stocktake.summary.builder.words import Words
from stocktake.summary.models import Summary, SummaryVersion
from stocktake.summary.render import absolute_links, to_docx, to_html_document
from stocktake.summary.services import readable_markdown, visible_version

EXPORTS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}


def statement_sources(
    session: Session, version: SummaryVersion, *, by: Principal
) -> list[tuple[str, Input]]:
    """(statement, input) for every input behind every statement that this reader may open: the
    secretariat every one, everyone else the published ones."""
    sources = version.sources or {}
    ids = {i for listed in sources.values() for i in listed}
    if not ids:
        return []
    query = select(Input).where(Input.id.in_(ids))
    if not by.can(Permission.INPUTS_READ_ANY):
        query = query.where(Input.status == InputStatus.PUBLISHED)
    inputs = {record.id: record for record in session.scalars(query)}
    return [
        (statement, inputs[i])
        for statement, listed in sorted(sources.items(), key=lambda kv: int(kv[0][1:]))
        for i in listed
        if i in inputs
    ]


def _name(record: Input) -> str:
    return record.external_id or str(record.id)


def site_address() -> str:
    """The site's public address without its last slash (https://stocktake.example.org)."""
    return get_settings().public_url.rstrip("/")


def sources_csv(rows: list[tuple[str, Input]]) -> bytes:
    site = site_address()
    return csv_text(
        ["statement", "input", "link", "language"],
        ([s, _name(record), f"{site}/inputs/{record.id}", record.language] for s, record in rows),
    ).encode()


def sources_annex(rows: list[tuple[str, Input]], language: str = "en") -> str:
    """The full list of inputs behind each statement, as Markdown for the DOCX annex, headed in
    the summary's language."""
    listed: dict[str, list[str]] = {}
    for statement, record in rows:
        listed.setdefault(statement, []).append(_name(record))
    lines = [f"## {Words(language)('inputs_annex')}", ""]
    lines += [f"- **{statement}** {', '.join(names)}" for statement, names in listed.items()]
    return "\n".join(lines) + "\n"


def export(
    session: Session, summary: Summary, fmt: str, *, by: Principal, number: int | None = None
) -> Response:
    """The version as this reader may see it (see readable_markdown)."""
    version = visible_version(summary, by=by, number=number)
    name = f"summary-{summary.id}-v{version.number}.{fmt}"
    markdown = readable_markdown(session, version.markdown, by=by)
    if fmt == "html":
        linked = absolute_links(markdown, site_address())
        body = to_html_document(linked, summary.title, summary.language).encode()
    elif fmt == "docx":
        rows = statement_sources(session, version, by=by)
        annex = sources_annex(rows, summary.language)
        full = markdown.rstrip("\n") + "\n\n" + annex if rows else markdown
        linked = absolute_links(full, site_address())
        body = to_docx(linked, summary.title, summary.language, process_name_of(summary))
    elif fmt == "csv":
        name = f"summary-{summary.id}-v{version.number}-sources.csv"
        body = sources_csv(statement_sources(session, version, by=by))
    else:
        body = absolute_links(markdown, site_address()).encode()
    return Response(
        body,
        media_type=EXPORTS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
