"""Drafting a Chair's summary from an analysis run, in one language, and drafting it again from a
newer run with the secretariat's edited sections kept."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisRun, RunStatus
from stocktake.analysis.services import get_run, latest_run
from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import NotFound, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.meetings.models import Meeting
from stocktake.process.definition import LANGUAGES
from stocktake.process.models import Process
from stocktake.summary.builder import (
    render_markdown,
)
from stocktake.summary.models import Summary, SummaryVersion
from stocktake.summary.sections import split_sections
from stocktake.summary.services.inputs import opening_meeting, statement_sources, summary_input


def check_language(language: str) -> str:
    """One of the six UN languages, which the summary's words and the definition's frames are
    written in; any other is refused, naming those offered."""
    if language not in LANGUAGES:
        raise ValidationFailed(
            "summary",
            [
                Problem(
                    "language",
                    Text(
                        "the process does not offer %(language)r; choose one of %(languages)s",
                        language=language,
                        languages=", ".join(LANGUAGES),
                    ),
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
            [Problem("run", Text("analysis run %(run)s is a run of another process", run=run.id))],
        )
    if run.status != RunStatus.COMPLETED:
        raise ValidationFailed(
            "summary",
            [
                Problem(
                    "run",
                    Text(
                        "analysis run %(run)s has not finished (it is %(status)s)",
                        run=run.id,
                        status=str(run.status),
                    ),
                )
            ],
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
                    Text(
                        "analysis run %(run)s is not newer than run %(earlier)s, which "
                        "summary %(summary)s is drawn from",
                        run=run.id,
                        earlier=summary.run_id,
                        summary=summary.id,
                    ),
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
        raise NotFound(Text("completed analysis run"), process.slug)
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
