"""The news of a published Chair's summary: the meeting it reports on, with its figures."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.core.translation import LANGUAGES
from stocktake.meetings.models import Meeting
from stocktake.meetings.services import participation_figures
from stocktake.news.drafting import MeetingFacts, summary_circulated
from stocktake.news.services import draft_news
from stocktake.process.models import Process
from stocktake.summary.models import Summary, SummaryVersion


def _facts(session: Session, process: Process, meeting: Meeting) -> MeetingFacts:
    figures = participation_figures(session, meeting)
    kind = next(
        (t for t in process.vocabulary("meeting_types") if t.key == meeting.meeting_type), None
    )
    names = dict.fromkeys(LANGUAGES, meeting.title)
    if kind is not None:
        names.update({k: v for k, v in (kind.names or {}).items() if k in LANGUAGES and v})
        # "of the stocktaking meeting": the English name runs in the sentence
        names["en"] = kind.name[:1].lower() + kind.name[1:]
    return MeetingFacts(
        names=names,
        city=meeting.city,
        start=meeting.start_date,
        end=meeting.end_date,
        delegations=figures.delegations,
        participants=figures.participants,
        stakeholders=figures.stakeholders,
    )


def summary_news(
    session: Session, summary: Summary, version: SummaryVersion, *, by: Principal
) -> None:
    """Draft the item of a version made public, in the caller's transaction."""
    process = session.get(Process, summary.process_id)
    assert process is not None
    meeting = session.get(Meeting, summary.meeting_id) if summary.meeting_id else None
    links = [{"href": f"/summary/{summary.id}", "label": summary.title[:200]}]
    if meeting is not None:
        links.append({"href": f"/meetings/{meeting.slug}", "label": meeting.title[:200]})
    draft_news(
        session,
        process,
        origin="summary_published",
        source=f"summary:{summary.id}:{version.number}",
        texts=summary_circulated(_facts(session, process, meeting) if meeting else None),
        links=links,
        by=by,
    )
