"""What a summary is built from: the run's clusters, divergences and inputs, and the figures of the
meeting that opens it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisResult, AnalysisRun
from stocktake.analysis.services import clusters_of, divergences_of
from stocktake.consultation.language import detect_language
from stocktake.consultation.models import Input, InputStatus
from stocktake.core.translation import written_day
from stocktake.meetings.models import Meeting
from stocktake.meetings.services import participation_figures
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
)


def opening_meeting(session: Session, process: Process) -> Meeting | None:
    """The first meeting of the type whose figures open the summary (the definition's
    `summary.opening_meeting_type`), or None when the definition names none."""
    definition = process.read_definition()
    meeting_type = definition.summary.opening_meeting_type
    if meeting_type is None:
        return None
    return session.scalar(
        select(Meeting)
        .where(Meeting.process_id == process.id, Meeting.meeting_type == meeting_type)
        .order_by(Meeting.start_date)
        .limit(1)
    )


def meeting_name(meeting: Meeting, language: str) -> str:
    """The meeting as a summary in this language names it: its title when written in that
    language, else its type in the language ('Réunion de bilan' for an English title)."""
    if language == "en" or detect_language(meeting.title) in (language, "und"):
        return meeting.title
    definition = meeting.process.read_definition()
    term = next((t for t in definition.meeting_types if t.key == meeting.meeting_type), None)
    return Words(language).term(term) if term else meeting.title


def meeting_view(
    session: Session, meeting: Meeting | None, language: str = "en"
) -> MeetingView | None:
    if meeting is None:
        return None
    return MeetingView(
        meeting_name(meeting, language),
        meeting.start_date,
        meeting.end_date,
        meeting.city,
        participation_figures(session, meeting),
    )


def summary_input(
    session: Session,
    process: Process,
    run: AnalysisRun,
    meeting: Meeting | None,
    language: str = "en",
) -> SummaryInput:
    """What the summary says, from a stored run (including the secretariat's cluster edits)."""
    definition = process.read_definition()
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
        title=words("title", name=meeting_name(meeting, language) if meeting else process.name),
        meeting=meeting_view(session, meeting, language),
        origin=words("origin", run=run.id, date=written_day(run.finished_at, language))
        if run.finished_at
        else "",
        language=language,
    )


def statement_sources(data: SummaryInput) -> dict[str, list[int]]:
    """The inputs behind each statement ("S1": [input ids]): the sources page and export read it."""
    return {
        f"S{s.number}": [int(src.href.rsplit("/", 1)[1]) for src in s.sources if src.href]
        for s in data.statements
    }
