"""The thread of a paragraph or of an objective: the inputs behind it (with their actors, regions,
regional groups and stakeholder categories), how its words changed from revision to revision and
by which amendments, its status over the rounds, and the pledges, practices and indicators of its objective.
The reader sees what they may read: the public, published inputs and issued revisions only."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from stocktake.consultation.models import Input, InputStatus
from stocktake.core.errors import NotFound
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.negotiation.models import Amendment, Draft, LinkState, ThreadLink
from stocktake.negotiation.services import get_draft, lineage, list_links, rounds_of
from stocktake.negotiation.services.revisions import LineageStep
from stocktake.process.models import Process
from stocktake.review.models import Indicator, Objective, Pledge, Practice
from stocktake.review.progress import IndicatorProgress
from stocktake.review.services.frame import get_objective
from stocktake.review.services.indicators import assess_indicator, observed
from stocktake.review.services.mapping import PracticeSearch, search_practices
from stocktake.review.services.pledges import PledgeFilter, list_pledges
from stocktake.site.thread.text import (
    ReadableText,
    objectives_of,
    readable_text,
    section_of,
    text_of_objective,
)


def sees_every_input(by: Principal) -> bool:
    return by.can(Permission.INPUTS_READ_ANY)


def visible_inputs(
    session: Session, by: Principal, ids: Iterable[int]
) -> tuple[list[Input], list[Input]]:
    """The inputs of these the reader may see, and those they may not (told only as a count)."""
    wanted = sorted(set(ids))
    found: list[Input] = []
    for start in range(0, len(wanted), 500):
        found += session.scalars(select(Input).where(Input.id.in_(wanted[start : start + 500])))
    found.sort(key=lambda i: i.id)
    seen = [
        i
        for i in found
        if sees_every_input(by)
        or i.status == InputStatus.PUBLISHED
        or (
            by.actor_id is not None
            and i.actor_id == by.actor_id
            and by.can(Permission.INPUTS_READ_OWN)
        )
    ]
    shown = {i.id for i in seen}
    return seen, [i for i in found if i.id not in shown]


@dataclass
class LinkView:
    link: ThreadLink
    inputs: list[Input]
    hidden: int
    withdrawn: int  # of the inputs it carried, withdrawn since
    withdrawn_last: dt.datetime | None
    missing: int  # inputs deleted since the link was made

    @property
    def cluster_gone(self) -> bool:
        return self.link.cluster_id is None


@dataclass
class AmendmentView:
    label: str
    kind: str
    status: str
    sponsors: list[str]


@dataclass
class StatusStep:
    revision: str
    status: str
    rounds: list[str]


@dataclass
class IndicatorView:
    indicator: Indicator
    places: list[IndicatorProgress]


@dataclass
class Thread:
    draft: Draft
    eid: str
    number: str
    text: str
    title: str
    links: list[LinkView] = field(default_factory=list)
    suggested: list[ThreadLink] = field(default_factory=list)
    removed: list[ThreadLink] = field(default_factory=list)
    steps: list[LineageStep] = field(default_factory=list)
    amendments: list[AmendmentView] = field(default_factory=list)
    statuses: list[StatusStep] = field(default_factory=list)
    objective: Objective | None = None
    pledges: list[Pledge] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)
    indicators: list[IndicatorView] = field(default_factory=list)

    @property
    def gone(self) -> LineageStep | None:
        """The revision that deleted or replaced the paragraph, if one did."""
        return self.steps[-1] if self.steps and self.steps[-1].change == "deleted" else None

    @property
    def inputs(self) -> list[Input]:
        seen: dict[int, Input] = {}
        for view in self.links:
            for record in view.inputs:
                seen.setdefault(record.id, record)
        return list(seen.values())

    def by(self, attribute: str) -> dict[str, int]:
        """How many of its inputs' actors by region, regional group or stakeholder category."""
        counts = Counter(getattr(i.actor, attribute) or "none" for i in self.inputs)
        return dict(counts.most_common())


def _link_views(session: Session, links: list[ThreadLink], by: Principal) -> list[LinkView]:
    views = []
    for link in links:
        seen, hidden = visible_inputs(session, by, link.input_ids)
        withdrawn = [i for i in [*seen, *hidden] if i.status == InputStatus.WITHDRAWN]
        views.append(
            LinkView(
                link,
                seen,
                len(hidden),
                len(withdrawn),
                max((i.updated_at for i in withdrawn), default=None),
                len(link.input_ids) - len(seen) - len(hidden),
            )
        )
    return views


def _amendments(
    session: Session, text: ReadableText, eid: str, steps: list[LineageStep]
) -> list[AmendmentView]:
    """The amendments an issued revision applied to the paragraph: those its lineage names, and
    those aimed at it (a deletion leaves no words to name them by)."""
    issued = {r.number for r in text.revisions}
    labels = {label for step in steps for label in step.amendments}
    numbers = sorted({int(label[1:]) for label in labels if label[1:].isdigit()})
    # only these, with their sponsors at once: not every applied amendment, nor a query for each
    found = session.scalars(
        select(Amendment)
        .where(
            Amendment.draft_id == text.draft.id,
            Amendment.applied_revision.in_(sorted(issued)),
            or_(Amendment.target_eid == eid, Amendment.number.in_(numbers)),
        )
        .options(selectinload(Amendment.positions))
        .order_by(Amendment.number)
    )
    return [
        AmendmentView(a.label, a.kind, a.status, a.sponsors)
        for a in found
        if a.applied_revision in issued and (a.label in labels or a.target_eid == eid)
    ]


def _statuses(session: Session, text: ReadableText, eid: str) -> list[StatusStep]:
    rounds = rounds_of(session, text.draft)
    steps = []
    for revision in text.revisions:
        data = next((d for d in revision.elements if d["eid"] == eid), None)
        if data is not None:
            steps.append(
                StatusStep(
                    revision.label,
                    str(data.get("status", "open")),
                    [r.name for r in rounds if r.revision_number == revision.number],
                )
            )
    return steps


def _indicators(session: Session, objective: Objective) -> list[IndicatorView]:
    codes = list(objective.sdg_indicators)
    if not codes:
        return []
    indicators = list(session.scalars(select(Indicator).where(Indicator.sdg_code.in_(codes))))
    by_place = observed(session, indicators=[i.id for i in indicators])
    views = []
    for indicator in indicators:
        places = sorted(place for i, place in by_place if i == indicator.id)
        views.append(
            IndicatorView(
                indicator,
                [assess_indicator(indicator, by_place[(indicator.id, p)]) for p in places],
            )
        )
    return views


def _thread(
    session: Session,
    process: Process,
    text: ReadableText,
    eids: list[str],
    *,
    title: str,
    by: Principal,
    home: tuple[Objective, ReadableText] | None = None,
) -> Thread:
    """The thread of the paragraphs `eids` of the text (the first is the one shown). `home`: an
    objective whose own text the caller has found already, so it is not looked for again."""
    main = eids[0]
    node = next((n for n in text.nodes if n.eid == main), None)
    steps = [
        s for s in lineage(text.draft, main) if s.revision in {r.label for r in text.revisions}
    ]
    if node is None and not steps:
        raise NotFound(Text("paragraph"), main)
    found = list_links(session, text.draft, eids=eids)  # paragraph by paragraph, as made
    links = [link for eid in eids for link in found if link.eid == eid]
    thread = Thread(
        text.draft,
        main,
        node.number if node else (steps[-2].number if len(steps) > 1 else ""),
        node.text if node else (steps[-2].text if len(steps) > 1 else ""),
        title,
        links=_link_views(session, [k for k in links if k.state == LinkState.CONFIRMED], by),
        suggested=[k for k in links if k.state == LinkState.SUGGESTED]
        if by.can(Permission.THREAD_LINK)
        else [],
        removed=[k for k in links if k.state == LinkState.REMOVED],
        steps=steps,
        statuses=_statuses(session, text, main),
    )
    thread.amendments = _amendments(session, text, main, steps)
    number = objectives_of(text.nodes).get(main)
    if number is not None:
        # the objective of that number, only if its own thread is this text: a new draft's
        # "Objective 1" is not the frame's objective 1 until the frame is loaded from it
        candidate: Objective | None
        own: ReadableText | None
        if home is not None and home[0].number == number:
            candidate, own = home
        else:
            try:
                candidate = get_objective(session, process, number)
            except NotFound:
                candidate = None
            # the text of the paragraph is its draft's readable text unless it came from `home`
            read = text if home is None else None
            own = (
                text_of_objective(session, process, candidate, by, read=read) if candidate else None
            )
        if own is not None and own.draft.id == text.draft.id:
            thread.objective = candidate
    if thread.objective is not None:
        thread.pledges = list_pledges(
            session, process, PledgeFilter(objective=number), by=by, relations=False
        )
        thread.practices = search_practices(
            session, process, PracticeSearch(objective=number), by=by
        )
        thread.indicators = _indicators(session, thread.objective)
    return thread


def paragraph_thread(
    session: Session, process: Process, draft_id: int, eid: str, *, by: Principal
) -> Thread:
    """The thread of one paragraph of a draft the reader may see."""
    require(by, Permission.DRAFTS_READ_PUBLISHED)
    draft = get_draft(session, process, draft_id, by=by)
    text = readable_text(session, process, draft, by)
    thread = _thread(session, process, text, [eid], title=f"paragraph {eid}", by=by)
    if thread.number:
        thread.title = f"paragraph {thread.number}"
    return thread


def objective_thread(session: Session, process: Process, number: int, *, by: Principal) -> Thread:
    """The thread of an objective: of its commitment, and the inputs behind its actions too."""
    require(by, Permission.REVIEW_READ_PUBLISHED)
    objective = get_objective(session, process, number)
    text = text_of_objective(session, process, objective, by)
    if text is None:
        raise NotFound(Text("paragraph of objective"), number)
    section = [n for n in section_of(text.nodes, number) if n.kind in ("paragraph", "point")]
    if not section:
        raise NotFound(Text("paragraph of objective"), number)
    return _thread(
        session,
        process,
        text,
        [n.eid for n in section],
        title=f"{objective.label}: {objective.title}",
        by=by,
        home=(objective, text),
    )
