"""A summary's versions: saving an edit, reading, comparing and publishing, and what the public may
read of a version."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.models import Input, InputStatus
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict, NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Counted, Text, joined
from stocktake.notifications.kinds import Kind, Said
from stocktake.notifications.services import active_users, notify
from stocktake.process.models import Process
from stocktake.summary.models import Summary, SummaryVersion
from stocktake.summary.services.drafting import with_dropped_themes
from stocktake.summary.services.news import summary_news

MAX_MARKDOWN = 2_000_000


class PublicationWarnings(Conflict):
    """A version still reads as a draft; publishing it needs a confirmation."""

    def __init__(self, number: int, warnings: list[str]) -> None:
        super().__init__(
            Text(
                "version %(version)s was not published: %(warnings)s. Confirm to publish it anyway.",
                version=number,
                warnings=joined(warnings),
            )
        )
        self.number = number
        self.warnings = warnings


def _not_latest(summary: Summary, based_on: int | None) -> None:
    if based_on is not None and based_on != summary.current.number:
        raise ValidationFailed(
            "summary",
            [
                Problem(
                    "version",
                    Text(
                        "version %(version)s is not the latest (version %(latest)s is): reload "
                        "the summary and apply your change again",
                        version=based_on,
                        latest=summary.current.number,
                    ),
                )
            ],
        )


def save_version(
    session: Session,
    summary: Summary,
    markdown: str,
    *,
    note: str = "",
    based_on: int | None = None,
    by: Principal,
) -> SummaryVersion:
    """Keep the edited text as a new version; earlier versions stay as they were. An edit made on
    a version that is no longer the latest (`based_on`) is refused, never saved over another."""
    require(by, Permission.SUMMARY_EDIT)
    _not_latest(summary, based_on)
    markdown = with_dropped_themes(summary, markdown.replace("\r\n", "\n"))
    if not markdown.strip():
        raise ValidationFailed("summary", [Problem("markdown", Text("is empty"))])
    if len(markdown) > MAX_MARKDOWN:
        raise ValidationFailed(
            "summary",
            [
                Problem(
                    "markdown",
                    Text("is longer than %(num)s characters", num=Counted(MAX_MARKDOWN)),
                )
            ],
        )
    if markdown == summary.current.markdown:
        return summary.current
    with transaction(session):
        # the versions as they are now, inside the write: two editors saving at once get one
        # number each, and the same text saved twice is one version
        session.refresh(summary, ["versions"], with_for_update=True)
        _not_latest(summary, based_on)
        if markdown == summary.current.markdown:
            return summary.current
        version = SummaryVersion(
            number=summary.current.number + 1,
            markdown=markdown,
            note=note.strip()[:500],
            saved_by=by.label,
            sources=summary.current.sources,
        )
        summary.versions.append(version)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.SUMMARY_SAVED,
            target_type="summary",
            target_key=summary.id,
            summary=f"version {version.number}" + (f": {version.note}" if version.note else ""),
        )
    return version


def get_summary(session: Session, summary_id: int, *, by: Principal) -> Summary:
    """A summary: any for the secretariat; for everyone else only one with a published version."""
    if not by.can(Permission.SUMMARY_READ):
        require(by, Permission.SUMMARY_READ_PUBLISHED)
    summary = session.scalar(
        select(Summary).where(Summary.id == summary_id).options(selectinload(Summary.versions))
    )
    if summary is None or not (by.can(Permission.SUMMARY_READ) or summary.published_version):
        raise NotFound(Text("summary"), summary_id)
    return summary


def comparable_summary(session: Session, summary_id: int, *, by: Principal) -> Summary:
    """A summary whose versions, published or not, are compared: the secretariat's only."""
    require(by, Permission.SUMMARY_READ)
    return get_summary(session, summary_id, by=by)


def editable_summary(session: Session, summary_id: int, *, by: Principal) -> Summary:
    """A summary to edit or publish: the secretariat's only."""
    require(by, Permission.SUMMARY_EDIT)
    return get_summary(session, summary_id, by=by)


def visible_version(
    summary: Summary, *, by: Principal, number: int | None = None
) -> SummaryVersion:
    """The version this principal reads: the one asked for (or the latest) for the secretariat, the
    published one for everyone else."""
    if by.can(Permission.SUMMARY_READ):
        return version_of(summary, number) if number else summary.current
    if summary.published_version is None:
        raise NotFound(Text("summary"), summary.id)
    return version_of(summary, summary.published_version)


def list_summaries(session: Session, process: Process, *, by: Principal) -> list[Summary]:
    """Every summary for the secretariat; the published ones for everyone else."""
    if not by.can(Permission.SUMMARY_READ):
        require(by, Permission.SUMMARY_READ_PUBLISHED)
    query = (
        select(Summary)
        .where(Summary.process_id == process.id)
        .options(selectinload(Summary.versions))
    )
    if not by.can(Permission.SUMMARY_READ):
        query = query.where(Summary.published_version.is_not(None))
    return list(session.scalars(query.order_by(Summary.id.desc())))


DRAFT_MARKERS = re.compile(
    r"Draft generated from analysis run|edit it before issuing it|Changes from analysis run|"
    r"Projet établi à partir de l'analyse|Borrador generado a partir del análisis|"
    r"مسودة أُعدت من التحليل|Проект подготовлен на основе анализа|草稿根据|"
    r"\bTODO\b|\bTBD\b|\bXXX\b|"
    r"\[draft\]|\bFIXME\b",
    re.IGNORECASE,
)


_INPUT_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(/inputs/(\d+)\)")


def _unpublished_linked(session: Session, markdown: str) -> set[int]:
    ids = {int(m.group(2)) for m in _INPUT_LINK.finditer(markdown)}
    if not ids:
        return set()
    published = set(
        session.scalars(
            select(Input.id).where(Input.id.in_(ids), Input.status == InputStatus.PUBLISHED)
        )
    )
    return ids - published


def publication_warnings(session: Session, version: SummaryVersion) -> list[str]:
    """What should stop the secretariat before issuing a version: draft markers left in the text,
    and links to inputs that are no longer published (the public would not see them)."""
    warnings: list[str] = [
        Text("line %(line)s: draft marker %(marker)r", line=number, marker=match.group(0))
        for number, line in enumerate(version.markdown.splitlines(), start=1)
        for match in [DRAFT_MARKERS.search(line)]
        if match
    ]
    if hidden := _unpublished_linked(session, version.markdown):
        listed = ", ".join(str(i) for i in sorted(hidden)[:10])
        said = (
            Text(
                "links %(num)s input not published (%(inputs)s): the public sees their names "
                "unlinked",
                num=1,
                inputs=listed,
            )
            if len(hidden) == 1
            else Text(
                "links %(num)s inputs not published (%(inputs)s): the public sees their names "
                "unlinked",
                num=len(hidden),
                inputs=listed,
            )
        )
        warnings.append(said)
    return warnings


def readable_markdown(session: Session, markdown: str, *, by: Principal) -> str:
    """The text as this reader may see it: links to inputs the reader may not open become plain
    names (an input withdrawn after the text was written)."""
    if by.can(Permission.INPUTS_READ_ANY):
        return markdown
    hidden = _unpublished_linked(session, markdown)
    if not hidden:
        return markdown
    return _INPUT_LINK.sub(
        lambda m: m.group(1) if int(m.group(2)) in hidden else m.group(0), markdown
    )


def publish_summary(
    session: Session,
    summary: Summary,
    number: int,
    *,
    by: Principal,
    despite_warnings: bool = False,
) -> SummaryVersion:
    """Make one saved version the public text of the summary: the secretariat issues it. A version
    with warnings (draft markers, links to unpublished inputs) is refused unless confirmed."""
    require(by, Permission.SUMMARY_EDIT)
    version = version_of(summary, number)
    if not despite_warnings and (warnings := publication_warnings(session, version)):
        raise PublicationWarnings(version.number, warnings)
    with transaction(session):
        session.refresh(summary, ["published_version"], with_for_update=True)  # as it is now
        previous = summary.published_version
        if previous == version.number:
            return version  # published already: nothing changes, nothing is recorded
        summary.published_version = version.number
        record_event(
            session,
            by=by,
            action=AuditAction.SUMMARY_PUBLISHED,
            target_type="summary",
            target_key=summary.id,
            summary=f"version {version.number} published",
            changes={"published_version": [previous, version.number]},
        )
        session.flush()
        summary_news(session, summary, version, by=by)
        # the published text is everyone's to read
        notify(
            session,
            Kind.SUMMARY,
            active_users(session),
            message=Said.SUMMARY_PUBLISHED,
            values={"number": version.number, "title": summary.title},
            link=f"/summary/{summary.id}",
            by=by,
        )
    return version


def version_of(summary: Summary, number: int) -> SummaryVersion:
    for version in summary.versions:
        if version.number == number:
            return version
    raise NotFound(Text("summary version"), number)
