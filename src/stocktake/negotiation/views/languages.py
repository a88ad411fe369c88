"""Language versions on the pages: adding one to a revision (or the working text) from a file,
and what the draft page needs to show a text in two languages side by side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission
from stocktake.core.translation import Text
from stocktake.negotiation.formats.reading import read_draft
from stocktake.negotiation.models import Draft, DraftRevision
from stocktake.negotiation.services import add_language_version, get_draft, language_versions
from stocktake.negotiation.services.languages import check_language, language_name, nodes_in
from stocktake.negotiation.text import Node
from stocktake.negotiation.views.helpers import back
from stocktake.negotiation.views.words import LANGUAGE_VERSION_ADDED
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import Plural, flash
from stocktake.web.uploads import read_upload

router = APIRouter(include_in_schema=False)
UPLOAD_FORMATS = ("docx", "md", "txt")


@dataclass(frozen=True)
class Beside:
    """A text in its original and in another language, row by row through the identities."""

    language: str
    name: str
    title: str
    rows: list[tuple[Node, Node]]


def languages_of(
    session: Session, draft: Draft, revision: DraftRevision | None
) -> list[tuple[str, str]]:
    """The languages a text can be read in: the original first, then its versions."""
    number = revision.number if revision is not None else None
    codes = [draft.language, *sorted(language_versions(session, draft, number))]
    return [(code, language_name(code)) for code in codes]


def beside(
    session: Session,
    draft: Draft,
    revision: DraftRevision | None,
    original: list[Node],
    language: str | None,
) -> Beside | None:
    """The chosen language beside the original; None when the original alone is asked for."""
    language = (language or "").strip().lower()
    if not language or language == draft.language:
        return None
    nodes, title = nodes_in(session, draft, revision, language)
    return Beside(language, language_name(language), title, list(zip(original, nodes, strict=True)))


@router.post("/drafts/{draft_id}/languages", dependencies=[CheckCsrf])
def post_language_version(
    request: Request,
    draft_id: int,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
    language: Annotated[str, Form()] = "",
    revision: Annotated[str, Form()] = "",
    replace: Annotated[bool, Form()] = False,
    note: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """The secretariat adds a revision's version in another language from DOCX or Markdown."""
    draft = get_draft(session, process, draft_id, by=by, acting=Permission.DRAFTS_MANAGE)
    code = check_language(language)
    number = _revision_number(revision)
    if file is None or not file.filename:
        raise ValidationFailed("language version", [Problem("file", Text("choose a file"))])
    name = file.filename
    if name.rsplit(".", 1)[-1].lower() not in (*UPLOAD_FORMATS, "markdown"):
        raise ValidationFailed(
            name, [Problem("format", Text("a language version is DOCX or Markdown"))]
        )
    parsed = read_draft(read_upload(file, settings.max_upload_bytes), name)
    version = add_language_version(
        session,
        draft,
        code,
        parsed,
        revision=number,
        replace=replace,
        source=name,
        note=note,
        by=by,
    )
    said = LANGUAGE_VERSION_ADDED[code]
    label = next((r.label for r in draft.revisions if r.number == number), None)
    values: dict[str, str | int] = {"edition": version.edition}
    if label is None:
        flash(request, Plural(said[2], said[3], len(version.texts)), values=values)
    else:
        values["revision"] = label
        flash(request, Plural(said[0], said[1], len(version.texts)), values=values)
    query = f"?revision={number}&language={code}" if number is not None else f"?language={code}"
    return back(draft, query)


def _revision_number(value: str) -> int | None:
    value = value.strip()
    if not value or value == "working":
        return None
    if not value.isdigit():
        raise ValidationFailed(
            "language version",
            [Problem("revision", Text("%(value)r is not a revision number", value=value))],
        )
    return int(value)
