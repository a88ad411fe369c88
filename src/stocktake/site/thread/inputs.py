""" "Where did our inputs go?": each input of an actor with what became of it — grouped with others
in a cluster, cited in the Chair's summary, reflected in a paragraph (of which revisions), in the
adopted text, or not taken up. The public sees the actor's published inputs, the published
summary and issued revisions; the actor itself and the secretariat see all its inputs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisCluster, AnalysisResult
from stocktake.analysis.services.runs import latest_run
from stocktake.consultation.models import Input, InputStatus
from stocktake.core.permissions import Permission, Principal, require
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import links_of_inputs, list_drafts
from stocktake.process.models import Process
from stocktake.registry.models import Actor
from stocktake.registry.services import get_actor
from stocktake.site.thread.text import ReadableText, readable_text
from stocktake.summary.models import Summary, SummaryVersion

_INPUT_LINK = re.compile(r"\(/inputs/(\d+)\)")


class Outcome:
    ADOPTED = "in the adopted text"
    REFLECTED = "reflected in a paragraph"
    CITED = "cited in the summary"
    GROUPED = "grouped in a cluster"
    NOT_TAKEN_UP = "not taken up"
    WITHDRAWN = "withdrawn"


OUTCOMES = (
    Outcome.ADOPTED,
    Outcome.REFLECTED,
    Outcome.CITED,
    Outcome.GROUPED,
    Outcome.NOT_TAKEN_UP,
    Outcome.WITHDRAWN,
)


@dataclass
class Reflection:
    draft_id: int
    draft_title: str
    eid: str
    number: str  # in the text the reader follows, else in the last revision that held it
    revisions: list[str]  # labels of the readable revisions that hold it
    adopted: bool
    removed_in: str = ""  # the revision that deleted it, if one did

    @property
    def where(self) -> str:
        held = f" ({', '.join(self.revisions)})" if self.revisions else " (working text)"
        gone = f", removed in {self.removed_in}" if self.removed_in else ""
        return f"paragraph {self.number or self.eid} of {self.draft_title}{held}{gone}"


@dataclass
class InputFate:
    record: Input
    cluster: str = ""  # the label of its cluster in the latest run
    cluster_number: int | None = None
    cited: list[str] = field(default_factory=list)  # statement numbers (S3) or "summary"
    reflections: list[Reflection] = field(default_factory=list)

    @property
    def withdrawn(self) -> bool:
        return self.record.status == InputStatus.WITHDRAWN

    @property
    def outcome(self) -> str:
        if self.withdrawn:
            return Outcome.WITHDRAWN
        if any(r.adopted for r in self.reflections):
            return Outcome.ADOPTED
        if self.reflections:
            return Outcome.REFLECTED
        if self.cited:
            return Outcome.CITED
        if self.cluster:
            return Outcome.GROUPED
        return Outcome.NOT_TAKEN_UP


@dataclass
class InputsReport:
    actor: Actor
    fates: list[InputFate]
    summary: Summary | None
    when: dt.datetime

    def counts(self) -> dict[str, int]:
        return {o: sum(1 for f in self.fates if f.outcome == o) for o in OUTCOMES}


def _inputs(session: Session, process: Process, actor: Actor, by: Principal) -> list[Input]:
    query = select(Input).where(
        Input.process_id == process.id,
        Input.actor_id == actor.id,
        Input.status != InputStatus.DRAFT,
    )
    own = by.actor_id == actor.id and by.can(Permission.INPUTS_READ_OWN)
    if not (by.can(Permission.INPUTS_READ_ANY) or own):
        query = query.where(Input.status == InputStatus.PUBLISHED)
    return list(session.scalars(query.order_by(Input.id)))


def readable_summary(
    session: Session, process: Process, by: Principal
) -> tuple[Summary, SummaryVersion] | None:
    """The latest summary and the version the reader may read: its latest for those who read
    summaries, else its published version."""
    for summary in session.scalars(
        select(Summary).where(Summary.process_id == process.id).order_by(Summary.id.desc())
    ):
        if by.can(Permission.SUMMARY_READ):
            return summary, summary.current
        if summary.published_version is not None:
            version = next(
                (v for v in summary.versions if v.number == summary.published_version), None
            )
            if version is not None:
                return summary, version
    return None


def citations(
    version: SummaryVersion | None, among: Container[int] | None = None
) -> dict[int, list[str]]:
    """The statements (S1, S2 …) citing each input; "summary" where only a link cites it. With
    `among`, of those inputs only: a summary cites thousands, an actor's page shows a few."""
    cited: dict[int, list[str]] = {}
    if version is None:
        return cited
    for statement, ids in sorted((version.sources or {}).items(), key=lambda s: _number(s[0])):
        for input_id in ids:
            if among is None or input_id in among:
                cited.setdefault(input_id, []).append(statement)
    for match in _INPUT_LINK.finditer(version.markdown):
        input_id = int(match.group(1))
        if among is None or input_id in among:
            cited.setdefault(input_id, ["summary"])
    return cited


def _number(statement: str) -> int:
    digits = statement.lstrip("S")
    return int(digits) if digits.isdigit() else 0


def _reflection(text: ReadableText, eid: str) -> Reflection | None:
    held = [r for r in text.revisions if any(d["eid"] == eid for d in r.elements)]
    node = next((n for n in text.nodes if n.eid == eid), None)
    if node is None and not held:
        return None  # in no text the reader may read
    number = node.number if node else ""
    if not number and held:
        number = next(str(d.get("number", "")) for d in held[-1].elements if d["eid"] == eid)
    later = [r for r in text.revisions if held and r.number > held[-1].number]
    adopted = text.adopted
    return Reflection(
        text.draft.id,
        text.draft.title,
        eid,
        number,
        [r.label for r in held],
        adopted is not None and adopted in held,
        later[0].label if later and node is None else "",
    )


def _clusters(session: Session, process: Process, fates: dict[int, InputFate]) -> None:
    run = latest_run(session, process)
    if run is None or not fates:
        return
    # the labels of these inputs' clusters only, with them: not every cluster of the run
    for input_id, number, label in session.execute(
        select(AnalysisResult.input_id, AnalysisResult.cluster_number, AnalysisCluster.label)
        .join(
            AnalysisCluster,
            (AnalysisCluster.run_id == AnalysisResult.run_id)
            & (AnalysisCluster.number == AnalysisResult.cluster_number),
        )
        .where(AnalysisResult.run_id == run.id, AnalysisResult.input_id.in_(list(fates)))
    ):
        fates[input_id].cluster, fates[input_id].cluster_number = label, number


def inputs_report(session: Session, process: Process, code: str, *, by: Principal) -> InputsReport:
    """What became of each input of the actor with this code."""
    require(by, Permission.INPUTS_READ_PUBLISHED)
    actor = get_actor(session, code, groups=False)
    fates = {r.id: InputFate(r) for r in _inputs(session, process, actor, by)}
    _clusters(session, process, fates)
    found = readable_summary(session, process, by)
    for input_id, statements in citations(found[1] if found else None, fates).items():
        fates[input_id].cited = statements
    drafts: dict[int, Draft] = {d.id: d for d in list_drafts(session, process, by=by)}
    texts: dict[int, ReadableText] = {}
    for input_id, links in links_of_inputs(session, fates).items():
        for link in links:
            if link.draft_id not in drafts:
                continue  # a draft the reader may not see
            if link.draft_id not in texts:
                texts[link.draft_id] = readable_text(session, process, drafts[link.draft_id], by)
            reflection = _reflection(texts[link.draft_id], link.eid)
            known = {(r.draft_id, r.eid) for r in fates[input_id].reflections}
            if reflection is not None and (reflection.draft_id, reflection.eid) not in known:
                fates[input_id].reflections.append(reflection)
    return InputsReport(
        actor, list(fates.values()), found[0] if found else None, dt.datetime.now(dt.UTC)
    )
