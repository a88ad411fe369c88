"""Shapes of the thread's JSON API: a paragraph's or objective's thread, an actor's inputs and
what became of them, the coverage of a text."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from stocktake.consultation.models import Input
from stocktake.core.permissions import Principal
from stocktake.negotiation.models import ThreadLink
from stocktake.negotiation.schemas import LinkOut
from stocktake.site.thread import Coverage, InputsReport, Share, Thread


class InputRef(BaseModel):
    id: int
    title: str
    status: str
    actor: str
    region: str | None
    regional_group: str | None
    stakeholder_category: str | None

    @classmethod
    def of(cls, record: Input) -> InputRef:
        return cls(
            id=record.id,
            title=record.title or " ".join(record.text.split()[:12]),
            status=record.status,
            actor=record.actor.code,
            region=record.actor.region,
            regional_group=record.actor.regional_group,
            stakeholder_category=record.actor.stakeholder_category,
        )


class ThreadLinkOut(BaseModel):
    link: LinkOut
    inputs: list[InputRef]
    hidden: int
    withdrawn: int
    missing: int


class StepOut(BaseModel):
    revision: str
    issued_at: dt.datetime
    number: str
    text: str
    change: str
    amendments: list[str]


class AmendmentRef(BaseModel):
    label: str
    kind: str
    status: str
    sponsors: list[str]


class StatusOut(BaseModel):
    revision: str
    status: str
    rounds: list[str]


class PledgeRef(BaseModel):
    id: int
    title: str
    actor: str
    status: str


class PracticeRef(BaseModel):
    id: int
    title: str
    actor: str


class PlaceProgress(BaseModel):
    country: str
    status: str


class IndicatorRef(BaseModel):
    code: str
    title: str
    places: list[PlaceProgress]


class ThreadOut(BaseModel):
    draft: int
    eid: str
    number: str
    text: str
    title: str
    removed_in: str | None
    links: list[ThreadLinkOut]
    suggested: list[LinkOut]
    removed: list[LinkOut]
    by_region: dict[str, int]
    by_regional_group: dict[str, int]
    by_stakeholder_category: dict[str, int]
    steps: list[StepOut]
    amendments: list[AmendmentRef]
    statuses: list[StatusOut]
    objective: int | None
    pledges: list[PledgeRef]
    practices: list[PracticeRef]
    indicators: list[IndicatorRef]

    @classmethod
    def of(cls, thread: Thread, by: Principal, readable: set[int]) -> ThreadOut:
        """`readable`: the inputs the reader may see, of the suggested and removed links."""

        def link(k: ThreadLink) -> LinkOut:
            return LinkOut.of(k, by, [i for i in k.input_ids if i in readable])

        return cls(
            draft=thread.draft.id,
            eid=thread.eid,
            number=thread.number,
            text=thread.text,
            title=thread.title,
            removed_in=thread.gone.revision if thread.gone else None,
            links=[
                ThreadLinkOut(
                    link=LinkOut.of(v.link, by, [i.id for i in v.inputs]),
                    inputs=[InputRef.of(i) for i in v.inputs],
                    hidden=v.hidden,
                    withdrawn=v.withdrawn,
                    missing=v.missing,
                )
                for v in thread.links
            ],
            suggested=[link(k) for k in thread.suggested],
            removed=[link(k) for k in thread.removed],
            by_region=thread.by("region"),
            by_regional_group=thread.by("regional_group"),
            by_stakeholder_category=thread.by("stakeholder_category"),
            steps=[StepOut(**s.__dict__) for s in thread.steps],
            amendments=[AmendmentRef(**a.__dict__) for a in thread.amendments],
            statuses=[StatusOut(**s.__dict__) for s in thread.statuses],
            objective=thread.objective.number if thread.objective else None,
            pledges=[
                PledgeRef(id=p.id, title=p.title, actor=p.actor.code, status=p.status)
                for p in thread.pledges
            ],
            practices=[
                PracticeRef(id=p.id, title=p.title, actor=p.actor.code) for p in thread.practices
            ],
            indicators=[
                IndicatorRef(
                    code=v.indicator.dotted,
                    title=v.indicator.title,
                    places=[
                        PlaceProgress(country=p.country, status=p.status.value) for p in v.places
                    ],
                )
                for v in thread.indicators
            ],
        )


class ReflectionOut(BaseModel):
    draft: int
    eid: str
    number: str
    revisions: list[str]
    adopted: bool
    removed_in: str


class InputFateOut(BaseModel):
    input: InputRef
    outcome: str
    cluster: int | None
    cluster_label: str
    cited: list[str]
    reflected_in: list[ReflectionOut]


class InputsReportOut(BaseModel):
    actor: str
    summary: int | None
    counts: dict[str, int]
    inputs: list[InputFateOut]

    @classmethod
    def of(cls, report: InputsReport) -> InputsReportOut:
        return cls(
            actor=report.actor.code,
            summary=report.summary.id if report.summary else None,
            counts=report.counts(),
            inputs=[
                InputFateOut(
                    input=InputRef.of(f.record),
                    outcome=f.outcome,
                    cluster=f.cluster_number,
                    cluster_label=f.cluster,
                    cited=f.cited,
                    reflected_in=[
                        ReflectionOut(
                            draft=r.draft_id,
                            eid=r.eid,
                            number=r.number,
                            revisions=r.revisions,
                            adopted=r.adopted,
                            removed_in=r.removed_in,
                        )
                        for r in f.reflections
                    ],
                )
                for f in report.fates
            ],
        )


class ShareOut(BaseModel):
    name: str
    reflected: int
    total: int
    percent: int

    @classmethod
    def of(cls, share: Share) -> ShareOut:
        return cls(
            name=share.name, reflected=share.reflected, total=share.total, percent=share.percent
        )


class GapOut(BaseModel):
    kind: str
    share: ShareOut


class CoverageOut(BaseModel):
    title: str
    clusters: ShareOut
    actors: ShareOut
    inputs: ShareOut
    regions: list[ShareOut]
    regional_groups: list[ShareOut]
    stakeholder_categories: list[ShareOut]
    gaps: list[GapOut]

    @classmethod
    def of(cls, result: Coverage) -> CoverageOut:
        return cls(
            title=result.title,
            clusters=ShareOut.of(result.clusters),
            actors=ShareOut.of(result.actors),
            inputs=ShareOut.of(result.inputs),
            regions=[ShareOut.of(s) for s in result.regions],
            regional_groups=[ShareOut.of(s) for s in result.groups],
            stakeholder_categories=[ShareOut.of(s) for s in result.categories],
            gaps=[GapOut(kind=kind, share=ShareOut.of(s)) for kind, s in result.gaps],
        )
