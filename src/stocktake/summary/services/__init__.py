"""Generate a summary from an analysis run, save edited versions, compare them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stocktake.analysis.models import AnalysisCluster, AnalysisResult, AnalysisRun, RunStatus
from stocktake.analysis.services import clusters_of, divergences_of, get_run, latest_run
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.models import Input, InputStatus
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict, NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.meetings.models import Meeting
from stocktake.meetings.services import participation_figures
from stocktake.process.definition import LANGUAGES, ProcessDefinition
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
    Words,
    build_summary_input,
    render_markdown,
)
from stocktake.summary.models import Summary, SummaryVersion
from stocktake.summary.sections import split_sections

MAX_MARKDOWN = 2_000_000


class PublicationWarnings(Conflict):
    """A version still reads as a draft; publishing it needs a confirmation."""

    def __init__(self, number: int, warnings: list[str]) -> None:
        super().__init__(
            f"version {number} was not published: {'; '.join(warnings)}. Confirm to publish it anyway."
        )
        self.number = number
        self.warnings = warnings


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
    session: Session,
    process: Process,
    run: AnalysisRun,
    meeting: Meeting | None,
    language: str = "en",
) -> SummaryInput:
    """What the summary says, from a stored run (including the secretariat's cluster edits)."""
    definition = ProcessDefinition.model_validate(process.definition)
    words = Words(language)
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
            Input.title,
            Input.status,
        )
        .join(Input, Input.id == AnalysisResult.input_id)
        .join(Actor, Actor.id == Input.actor_id)
        .where(AnalysisResult.run_id == run.id)
        .order_by(Input.id)
    ).all()
    analysed = [
        AnalysedInput(
            Source(
                row.external_id or str(row.id),
                f"/inputs/{row.id}",
                published=row.status == InputStatus.PUBLISHED,
            ),
            row.code,
            row.name,
            row.text,
            language=row.language,
            actor_kind=row.kind,
            region=row.region,
            regional_group=row.regional_group,
            category=row.stakeholder_category,
            title=row.title or "",
        )
        for row in rows
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
            number=cluster.number,
            named_by_staff=cluster.confirmed_id is not None,
        )
        for cluster in clusters_of(session, run)
    ]
    divergences = [
        DivergenceFacts(
            divergence.key,
            divergence.name,
            divergence.description,
            divergence.surfaced,
            [
                PositionFacts(
                    p.get("key", ""),
                    p["name"],
                    p["support"],
                    [index[i] for i in p["inputs"] if i in index],
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
        title=words("title", name=meeting.title if meeting else process.name),
        meeting=meeting_view(session, meeting),
        origin=words("origin", run=run.id, date=f"{run.finished_at:%Y-%m-%d}")
        if run.finished_at
        else "",
        language=language,
    )


def check_language(language: str) -> str:
    """One of the six UN languages, which the summary's words and the definition's frames are
    written in; any other is refused, naming those offered."""
    if language not in LANGUAGES:
        raise ValidationFailed(
            "summary",
            [
                Problem(
                    "language",
                    f"the process does not offer {language!r}; choose one of "
                    f"{', '.join(LANGUAGES)}",
                )
            ],
        )
    return language


def generate_summary(
    session: Session,
    process: Process,
    run: AnalysisRun,
    *,
    meeting: Meeting | None = None,
    language: str = "en",
    by: Principal,
) -> Summary:
    """Draft a summary in one of the six languages from a completed run of this process."""
    require(by, Permission.SUMMARY_EDIT)
    check_language(language)
    if run.process_id != process.id:
        raise ValidationFailed(
            "summary",
            [Problem("run", f"analysis run {run.id} is a run of another process")],
        )
    if run.status != RunStatus.COMPLETED:
        raise ValidationFailed(
            "summary",
            [Problem("run", f"analysis run {run.id} has not finished (it is {run.status})")],
        )
    meeting = meeting or opening_meeting(session, process)
    earlier = _latest_summary(session, process, language, meeting)
    if earlier is not None and earlier.run_id is not None and run.id > earlier.run_id:
        return redraft_summary(session, earlier, run, by=by)
    data = summary_input(session, process, run, meeting, language)
    with transaction(session):
        summary = Summary(
            process_id=process.id,
            run_id=run.id,
            meeting_id=meeting.id if meeting else None,
            title=data.title,
            language=language,
        )
        session.add(summary)
        session.flush()
        data.cluster_href = f"/summary/{summary.id}/clusters/{{number}}"
        data.sources_href = f"/summary/{summary.id}/sources/{{number}}"
        summary.versions.append(
            SummaryVersion(
                number=1,
                markdown=render_markdown(data),
                note="generated",
                saved_by=by.label,
                sources=statement_sources(data),
            )
        )
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


def _latest_summary(
    session: Session, process: Process, language: str, meeting: Meeting | None
) -> Summary | None:
    """The latest summary of this process in this language, for this meeting."""
    same_meeting = Summary.meeting_id == meeting.id if meeting else Summary.meeting_id.is_(None)
    return session.scalar(
        select(Summary)
        .where(Summary.process_id == process.id, Summary.language == language, same_meeting)
        .order_by(Summary.id.desc())
        .limit(1)
    )


CHANGES_HEADING = "Changes from analysis run {run} to accept"
"""Under a section the secretariat edited, what a newer run changed in the generated text. It is a
draft marker: publishing warns while it is there."""


def _generated(summary: Summary) -> SummaryVersion:
    """The latest version the analysis wrote (not the secretariat)."""
    return next(
        (v for v in reversed(summary.versions) if v.note.startswith("generated")),
        summary.versions[0],
    )


def carry_edits(base: str, edited: str, fresh: str, run_id: int) -> tuple[str, list[str]]:
    """The newly generated text with the sections the secretariat edited (those that differ from
    the text generated before) kept as edited; under each, the lines the newer run changed, for
    the secretariat to accept. Returns the text and the headings of the sections kept."""
    before = {s.heading: s.markdown for s in split_sections(base)}
    edits = {
        s.heading: s.markdown
        for s in split_sections(edited)
        if s.number > 0 and before.get(s.heading) != s.markdown
    }
    pieces, kept = [], []
    for section in split_sections(fresh):
        if section.heading not in edits:
            pieces.append(section.markdown)
            continue
        kept.append(section.heading)
        old = set(before.get(section.heading, "").splitlines())
        changed = [line for line in section.markdown.splitlines() if line and line not in old]
        note = ""
        if changed:
            listed = "\n".join(f"> {line}" for line in changed)
            note = f"> **{CHANGES_HEADING.format(run=run_id)}:**\n>\n{listed}\n\n"
        pieces.append(edits.pop(section.heading).rstrip("\n") + "\n\n" + note)
    for heading, markdown in edits.items():  # an edited section the new text no longer has
        kept.append(heading)
        pieces.append(markdown.rstrip("\n") + "\n\n")
    return "".join(pieces).rstrip("\n") + "\n", kept


def redraft_summary(
    session: Session, summary: Summary, run: AnalysisRun, *, by: Principal
) -> Summary:
    """A new version of the summary drawn from a newer run: sections the secretariat edited are
    kept as edited, with what the new run changed listed beneath them; the rest is the new text."""
    require(by, Permission.SUMMARY_EDIT)
    if summary.run_id is not None and run.id <= summary.run_id:
        raise ValidationFailed(
            "summary",
            [
                Problem(
                    "run",
                    f"analysis run {run.id} is not newer than run {summary.run_id}, which "
                    f"summary {summary.id} is drawn from",
                )
            ],
        )
    process = session.get(Process, summary.process_id)
    assert process is not None  # a summary's process is never deleted under it
    meeting = session.get(Meeting, summary.meeting_id) if summary.meeting_id else None
    data = summary_input(session, process, run, meeting, summary.language)
    data.cluster_href = f"/summary/{summary.id}/clusters/{{number}}"
    data.sources_href = f"/summary/{summary.id}/sources/{{number}}"
    fresh = render_markdown(data)
    with transaction(session):
        session.refresh(summary, ["versions"], with_for_update=True)
        markdown, kept = carry_edits(
            _generated(summary).markdown, summary.current.markdown, fresh, run.id
        )
        version = SummaryVersion(
            number=summary.current.number + 1,
            markdown=markdown,
            note=f"generated from analysis run {run.id}"
            + (f"; kept as edited: {', '.join(kept)}"[:400] if kept else ""),
            saved_by=by.label,
            sources=statement_sources(data),
        )
        summary.versions.append(version)
        summary.run_id = run.id
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.SUMMARY_GENERATED,
            target_type="summary",
            target_key=summary.id,
            summary=f"version {version.number} generated from analysis run {run.id}",
        )
    return summary


def statement_sources(data: SummaryInput) -> dict[str, list[int]]:
    """The inputs behind each statement ("S1": [input ids]): the sources page and export read it."""
    return {
        f"S{s.number}": [int(src.href.rsplit("/", 1)[1]) for src in s.sources if src.href]
        for s in data.statements
    }


def generate_summary_of_run(
    session: Session,
    process: Process,
    run_id: int | None = None,
    *,
    language: str = "en",
    by: Principal,
) -> Summary:
    """Generate a summary from the run given, or else from the latest completed run. The permission
    comes first: whether a run exists is not told to those who may not generate."""
    require(by, Permission.SUMMARY_EDIT)
    check_language(language)
    run = get_run(session, run_id, by=by) if run_id else latest_run(session, process)
    if run is None:
        raise NotFound("completed analysis run", process.slug)
    return generate_summary(session, process, run, language=language, by=by)


DROPPED_ANNEX = "## Annex: themes without a statement"


def with_dropped_themes(summary: Summary, markdown: str) -> str:
    """The edited text, with every statement the edit removed altogether (named nowhere in it, not
    even in the sources annex) named in an annex of its own: a theme is never silently dropped."""
    sources = summary.current.sources or {}
    if not markdown.strip():
        return markdown
    named = set(re.findall(r"\bS(\d+)\b", markdown))
    dropped = [key for key in sources if key[1:] not in named]
    if not dropped:
        return markdown
    lines = [
        f"- **{key}** {len(sources[key])} inputs: "
        f"[the inputs behind it](/summary/{summary.id}/sources/{key[1:]})"
        for key in sorted(dropped, key=lambda k: int(k[1:]))
    ]
    if DROPPED_ANNEX not in markdown:
        lines = ["", DROPPED_ANNEX, "", *lines]
    return markdown.rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def _not_latest(summary: Summary, based_on: int | None) -> None:
    if based_on is not None and based_on != summary.current.number:
        raise ValidationFailed(
            "summary",
            [
                Problem(
                    "version",
                    f"version {based_on} is not the latest (version {summary.current.number} "
                    "is): reload the summary and apply your change again",
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
        raise ValidationFailed("summary", [Problem("markdown", "is empty")])
    if len(markdown) > MAX_MARKDOWN:
        raise ValidationFailed(
            "summary", [Problem("markdown", f"is longer than {MAX_MARKDOWN:,} characters")]
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
        raise NotFound("summary", summary_id)
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
    warnings = [
        f"line {number}: draft marker {match.group(0)!r}"
        for number, line in enumerate(version.markdown.splitlines(), start=1)
        for match in [DRAFT_MARKERS.search(line)]
        if match
    ]
    if hidden := _unpublished_linked(session, version.markdown):
        warnings.append(
            f"links {len(hidden)} input{'s' if len(hidden) != 1 else ''} not published "
            f"({', '.join(str(i) for i in sorted(hidden)[:10])}): the public sees their names "
            "unlinked"
        )
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
    return version


def version_of(summary: Summary, number: int) -> SummaryVersion:
    for version in summary.versions:
        if version.number == number:
            return version
    raise NotFound("summary version", number)


@dataclass
class ClusterPage:
    """A cluster a summary refers to, as this reader may see it."""

    cluster: AnalysisCluster
    members: list[Input]
    """The inputs the reader may open."""
    hidden: int
    """How many members the reader may not open (not yet published)."""


def summary_cluster(
    session: Session, summary: Summary, number: int, *, by: Principal
) -> ClusterPage:
    """A cluster of the run a summary was drawn from: the secretariat sees every member, everyone
    else (only for a published summary, see get_summary) its published members."""
    if summary.run_id is None:
        raise NotFound("cluster", number)
    cluster = session.scalar(
        select(AnalysisCluster).where(
            AnalysisCluster.run_id == summary.run_id, AnalysisCluster.number == number
        )
    )
    if cluster is None:
        raise NotFound("cluster", number)
    members = list(
        session.scalars(
            select(Input)
            .join(AnalysisResult, AnalysisResult.input_id == Input.id)
            .where(AnalysisResult.run_id == summary.run_id, AnalysisResult.cluster_number == number)
            .options(selectinload(Input.actor))
            .order_by(Input.id)
        )
    )
    visible = (
        members
        if by.can(Permission.INPUTS_READ_ANY)
        else [m for m in members if m.status == InputStatus.PUBLISHED]
    )
    return ClusterPage(cluster, visible, len(members) - len(visible))


@dataclass
class SourcesPage:
    """The inputs behind one statement of a summary, as this reader may see them."""

    statement: str
    members: list[Input]
    hidden: int


def statement_inputs(
    session: Session, summary: Summary, number: int, *, by: Principal
) -> SourcesPage:
    """The inputs behind statement S{number} of the version this reader reads: every one for the
    secretariat, the published ones for everyone else (the others are counted)."""
    version = visible_version(summary, by=by)
    ids = (version.sources or {}).get(f"S{number}")
    if ids is None:
        raise NotFound("statement", f"S{number}")
    members = list(
        session.scalars(
            select(Input)
            .where(Input.id.in_(ids))
            .options(selectinload(Input.actor))
            .order_by(Input.id)
        )
    )
    visible = (
        members
        if by.can(Permission.INPUTS_READ_ANY)
        else [m for m in members if m.status == InputStatus.PUBLISHED]
    )
    return SourcesPage(f"S{number}", visible, len(members) - len(visible))
