"""A summary version as a file to download: Markdown, HTML, DOCX (with an annex naming every input
behind each statement) or the sources as CSV; shared by the pages and the API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.consultation.models import Input, InputStatus
from stocktake.core.permissions import Permission, Principal
from stocktake.core.spreadsheets import csv_text
from stocktake.summary.models import Summary, SummaryVersion
from stocktake.summary.render import plain_links, to_docx, to_html_document
from stocktake.summary.services import readable_markdown, visible_version

EXPORTS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}
SOURCES_ANNEX = "Annex: inputs behind each statement"


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


def sources_csv(rows: list[tuple[str, Input]]) -> bytes:
    return csv_text(
        ["statement", "input", "link", "language"],
        ([s, _name(record), f"/inputs/{record.id}", record.language] for s, record in rows),
    ).encode()


def sources_annex(rows: list[tuple[str, Input]]) -> str:
    """The full list of inputs behind each statement, as Markdown for the DOCX annex."""
    listed: dict[str, list[str]] = {}
    for statement, record in rows:
        listed.setdefault(statement, []).append(_name(record))
    lines = [f"## {SOURCES_ANNEX}", ""]
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
        body = to_html_document(markdown, summary.title).encode()
    elif fmt == "docx":
        rows = statement_sources(session, version, by=by)
        full = markdown.rstrip("\n") + "\n\n" + sources_annex(rows) if rows else markdown
        body = to_docx(plain_links(full), summary.title, summary.language)
    elif fmt == "csv":
        name = f"summary-{summary.id}-v{version.number}-sources.csv"
        body = sources_csv(statement_sources(session, version, by=by))
    else:
        body = markdown.encode()
    return Response(
        body,
        media_type=EXPORTS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
