"""Coverage of a draft or of the adopted text: the share of clusters, of actors and of regions
whose inputs it reflects (through its confirmed links), and the gaps — the regions, regional
groups and stakeholder categories least reflected."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisResult
from stocktake.analysis.services.runs import latest_run
from stocktake.consultation.models import Input, InputStatus
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.negotiation.models import LinkState
from stocktake.negotiation.services import get_draft, list_links, revision_nodes
from stocktake.process.models import Process
from stocktake.registry.models import Actor
from stocktake.site.thread.text import readable_text

GAPS = 5
"""How many of the least reflected regions, groups and categories are listed as gaps."""
BY = (Actor.region, Actor.regional_group, Actor.stakeholder_category)
"""What the shares are counted by."""


@dataclass(frozen=True)
class Share:
    name: str
    reflected: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.reflected / self.total) if self.total else 0


@dataclass
class Coverage:
    title: str  # the draft and the text measured ("working text", "Rev.1", the adopted text)
    draft_title: str
    revision: str  # the label of the revision measured; "" for the working text
    adopted: bool
    clusters: Share
    actors: Share
    inputs: Share
    regions: list[Share] = field(default_factory=list)
    groups: list[Share] = field(default_factory=list)
    categories: list[Share] = field(default_factory=list)
    final_issued: bool = False  # a final revision exists: the adopted text can be measured

    @property
    def gaps(self) -> list[tuple[str, Share]]:
        """The least reflected regions, regional groups and categories, lowest share first."""
        every = [
            *(("region", s) for s in self.regions),
            *(("regional group", s) for s in self.groups),
            *(("stakeholder category", s) for s in self.categories),
        ]
        every.sort(key=lambda pair: (pair[1].percent, -pair[1].total, pair[1].name))
        return [pair for pair in every if pair[1].percent < self.actors.percent][:GAPS]


def _shares(
    totals_by: Mapping[tuple[Any, ...], int],
    reflected: Mapping[int, Any],
    at: int,
    unnamed: str | None,
) -> list[Share]:
    """Shares by the actors' region, group or category (`BY[at]`), from the database's counts of
    actors by all three (`totals_by`, keyed by region, group and category); those without one
    under `unnamed`, or left out when it is None."""
    column = BY[at].key
    totals: Counter[str] = Counter()
    for key, count in totals_by.items():
        if (named := key[at] or unnamed) is not None:
            totals[named] += count
    found = Counter(
        name for actor in reflected.values() if (name := actor[column] or unnamed) is not None
    )
    return sorted(
        (Share(name, found[name], total) for name, total in totals.items()),
        key=lambda s: (s.percent, s.name),
    )


def coverage(
    session: Session, process: Process, draft_id: int, *, adopted: bool = False, by: Principal
) -> Coverage:
    """How widely a draft's text (the adopted text, with `adopted`) reflects the inputs."""
    require(by, Permission.DRAFTS_READ_PUBLISHED)
    draft = get_draft(session, process, draft_id, by=by)
    text = readable_text(session, process, draft, by)
    if adopted:
        if text.adopted is None:
            raise ValidationFailed(
                f"draft {draft_id}", [Problem("adopted", Text("no final revision has been issued"))]
            )
        nodes, what = revision_nodes(text.adopted), f"{text.adopted.label} (adopted)"
        revision = text.adopted.label
    else:
        nodes = text.nodes
        revision = "" if text.working else (text.revisions[-1].label if text.revisions else "")
        what = "working text" if text.working else revision
    present = {n.eid for n in nodes}
    links = [
        link
        for link in list_links(session, draft, states=(LinkState.CONFIRMED,))
        if link.eid in present
    ]
    reflected_inputs = {i for link in links for i in link.input_ids}
    statuses = [InputStatus.PUBLISHED.value]
    if by.can(Permission.INPUTS_READ_ANY):
        statuses.append(InputStatus.SUBMITTED.value)
    readable = select(Input.id, Input.actor_id).where(
        Input.process_id == process.id, Input.status.in_(statuses)
    )
    # counted by the database, whatever the number of inputs and actors: the readable inputs,
    # their actors by region, group and category, and the clusters; only the reflected inputs and
    # their actors are read (building an object or a row per input cost the page most of its time)
    readable_count = session.scalar(select(func.count()).select_from(readable.subquery())) or 0
    inputs: dict[int, int] = (
        dict(session.execute(readable.where(Input.id.in_(sorted(reflected_inputs)))).all())
        if reflected_inputs
        else {}
    )
    actors = readable.with_only_columns(Input.actor_id)
    # the readable inputs' actors, counted by region, group and category at once
    totals_by: dict[tuple[Any, ...], int] = {
        tuple(row[:-1]): row[-1]
        for row in session.execute(
            select(*BY, func.count()).where(Actor.id.in_(actors)).group_by(*BY)
        )
    }
    actor_count = sum(totals_by.values())
    reflected_actors = (
        {
            row.id: row._mapping
            for row in session.execute(
                select(Actor.id, *BY).where(Actor.id.in_(sorted(set(inputs.values()))))
            )
        }
        if inputs
        else {}
    )
    clusters, clusters_reflected = 0, 0
    run = latest_run(session, process)
    if run is not None:
        numbers = select(AnalysisResult.cluster_number).where(
            AnalysisResult.run_id == run.id, AnalysisResult.cluster_number >= 0
        )
        every = set(session.scalars(numbers.distinct()))
        linked = {link.cluster_number for link in links if link.run_id == run.id}
        holding = (
            session.scalars(
                numbers.where(AnalysisResult.input_id.in_(sorted(reflected_inputs))).distinct()
            )
            if reflected_inputs
            else ()
        )
        clusters, clusters_reflected = len(every), len((linked & every) | set(holding))
    return Coverage(
        title=f"{draft.title}, {what}",
        draft_title=draft.title,
        revision=revision,
        adopted=adopted,
        clusters=Share("clusters", clusters_reflected, clusters),
        actors=Share("actors", len(reflected_actors), actor_count),
        inputs=Share("inputs", len(inputs), readable_count),
        regions=_shares(totals_by, reflected_actors, 0, "no region"),
        groups=_shares(totals_by, reflected_actors, 1, "no regional group"),
        categories=_shares(totals_by, reflected_actors, 2, None),
        final_issued=text.adopted is not None,
    )
