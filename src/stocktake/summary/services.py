"""Generate a summary from an analysis run, save edited versions, compare them."""

from __future__ import annotations

import difflib
import re
from html import escape

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stocktake.analysis.models import AnalysisResult, AnalysisRun, RunStatus
from stocktake.analysis.services import clusters_of, divergences_of
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.models import Input
from stocktake.core.db import transaction
from stocktake.core.errors import NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.meetings.models import Meeting
from stocktake.meetings.services import participation_figures
from stocktake.process.definition import ProcessDefinition
from stocktake.process.models import Process
from stocktake.registry.models import Actor
from stocktake.summary.builder import (
    AnalysedInput,
    ClusterFacts,
    DivergenceFacts,
    MeetingView,
    PositionFacts,
    Source,
    SummaryInput,
    build_summary_input,
    render_markdown,
)
from stocktake.summary.models import Summary, SummaryVersion

MAX_MARKDOWN = 2_000_000


def opening_meeting(session: Session, process: Process) -> Meeting | None:
    """The first meeting of the type whose figures open the summary (the definition's
    `summary.opening_meeting_type`), or None when the definition names none."""
    definition = ProcessDefinition.model_validate(process.definition)
    meeting_type = definition.summary.opening_meeting_type
    if meeting_type is None:
        return None
    return session.scalar(
        select(Meeting)
        .where(Meeting.process_id == process.id, Meeting.meeting_type == meeting_type)
        .order_by(Meeting.start_date)
        .limit(1)
    )


def meeting_view(session: Session, meeting: Meeting | None) -> MeetingView | None:
    if meeting is None:
        return None
    return MeetingView(
        meeting.title, meeting.dates, meeting.city, participation_figures(session, meeting)
    )


def summary_input(
    session: Session, process: Process, run: AnalysisRun, meeting: Meeting | None
) -> SummaryInput:
    """What the summary says, from a stored run (including the secretariat's cluster edits)."""
    definition = ProcessDefinition.model_validate(process.definition)
    rows = session.execute(
        select(
            AnalysisResult.cluster_number,
            Input.id,
            Input.external_id,
            Input.text,
            Actor.name,
            Actor.code,
            Input.language,
            Actor.kind,
            Actor.region,
            Actor.regional_group,
            Actor.stakeholder_category,
        )
        .join(Input, Input.id == AnalysisResult.input_id)
        .join(Actor, Actor.id == Input.actor_id)
        .where(AnalysisResult.run_id == run.id)
        .order_by(Input.id)
    ).all()
    analysed = [
        AnalysedInput(
            Source(external_id or str(input_id), f"/inputs/{input_id}"),
            actor_code,
            actor_name,
            text,
            *details,
        )
        for _, input_id, external_id, text, actor_name, actor_code, *details in rows
    ]
    index = {row[1]: position for position, row in enumerate(rows)}
    members: dict[int, list[int]] = {}
    for position, row in enumerate(rows):
        members.setdefault(row[0], []).append(position)
    clusters = [
        ClusterFacts(
            label=cluster.label,
            representative=index.get(cluster.representative_id),
            members=members.get(cluster.number, []),
            dimensions=list(cluster.dimensions or []),
            input_types=list(cluster.input_types or []),
            support=cluster.support,
            theme=cluster.theme_number,
        )
        for cluster in clusters_of(session, run)
    ]
    divergences = [
        DivergenceFacts(
            divergence.name,
            divergence.description,
            divergence.surfaced,
            [
                PositionFacts(
                    p["name"], p["support"], [index[i] for i in p["inputs"] if i in index]
                )
                for p in divergence.positions
            ],
        )
        for divergence in divergences_of(session, run)
    ]
    return build_summary_input(
        definition,
        analysed,
        clusters,
        divergences,
        title=f"Chair's summary: {meeting.title}"
        if meeting
        else f"Chair's summary: {process.name}",
        meeting=meeting_view(session, meeting),
        origin=f"Draft generated from analysis run {run.id} of {run.finished_at:%d %B %Y}; edit it before issuing it."
        if run.finished_at
        else "",
    )


def generate_summary(
    session: Session,
    process: Process,
    run: AnalysisRun,
    *,
    meeting: Meeting | None = None,
    by: Principal,
) -> Summary:
    require(by, Permission.SUMMARY_EDIT)
    if run.status != RunStatus.COMPLETED:
        raise ValidationFailed(
            "summary", [Problem("run", f"analysis run {run.id} has not completed")]
        )
    meeting = meeting or opening_meeting(session, process)
    data = summary_input(session, process, run, meeting)
    markdown = render_markdown(data)
    with transaction(session):
        summary = Summary(
            process_id=process.id,
            run_id=run.id,
            meeting_id=meeting.id if meeting else None,
            title=data.title,
        )
        summary.versions.append(
            SummaryVersion(number=1, markdown=markdown, note="generated", saved_by=by.label)
        )
        session.add(summary)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.SUMMARY_GENERATED,
            target_type="summary",
            target_key=summary.id,
            summary=f"generated from analysis run {run.id}",
        )
    return summary


def save_version(
    session: Session, summary: Summary, markdown: str, *, note: str = "", by: Principal
) -> SummaryVersion:
    """Keep the edited text as a new version; earlier versions stay as they were."""
    require(by, Permission.SUMMARY_EDIT)
    markdown = markdown.replace("\r\n", "\n")
    if not markdown.strip():
        raise ValidationFailed("summary", [Problem("markdown", "is empty")])
    if len(markdown) > MAX_MARKDOWN:
        raise ValidationFailed(
            "summary", [Problem("markdown", f"is longer than {MAX_MARKDOWN:,} characters")]
        )
    if markdown == summary.current.markdown:
        return summary.current
    with transaction(session):
        version = SummaryVersion(
            number=summary.current.number + 1,
            markdown=markdown,
            note=note.strip()[:500],
            saved_by=by.label,
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
        raise NotFound("summary", summary_id)
    return summary


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
        raise NotFound("summary", summary.id)
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


def publish_summary(
    session: Session, summary: Summary, number: int, *, by: Principal
) -> SummaryVersion:
    """Make one saved version the public text of the summary: the secretariat issues it."""
    require(by, Permission.SUMMARY_EDIT)
    version = version_of(summary, number)
    with transaction(session):
        previous = summary.published_version
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
    return version


def version_of(summary: Summary, number: int) -> SummaryVersion:
    for version in summary.versions:
        if version.number == number:
            return version
    raise NotFound("summary version", number)


_TOKENS = re.compile(r"\s+|[^\s]+")


def compare(old: str, new: str) -> Markup:
    """A word-by-word comparison as HTML: deletions in <del>, insertions in <ins>."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(parts))  # noqa: S704  (every piece of text is escaped above)
