"""A summary version as a file to download: Markdown, HTML or DOCX; shared by the pages and the API."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.core.permissions import Principal
from stocktake.summary.models import Summary
from stocktake.summary.render import plain_links, to_docx, to_html_document
from stocktake.summary.services import readable_markdown, visible_version

EXPORTS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


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
        body = to_docx(plain_links(markdown))
    else:
        body = markdown.encode()
    return Response(
        body,
        media_type=EXPORTS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
