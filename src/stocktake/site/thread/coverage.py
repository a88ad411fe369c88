"""Coverage of a draft or of the adopted text: the share of clusters, of actors and of regions
whose inputs it reflects (through its confirmed links), and the gaps — the regions, regional
groups and stakeholder categories least reflected."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
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
    actors: dict[int, Actor], reflected: set[int], attribute: str, unnamed: str | None
) -> list[Share]:
    """Shares by the actors' region, group or category; those without one under `unnamed`, or
    left out when it is None."""
    totals: dict[str, set[int]] = defaultdict(set)
    for actor in actors.values():
        name = getattr(actor, attribute) or unnamed
        if name is not None:
            totals[name].add(actor.id)
    return sorted(
        (Share(name, len(ids & reflected), len(ids)) for name, ids in totals.items()),
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
    # each input's actor, in two queries whatever the number of inputs
    inputs = {row.id: row.actor_id for row in session.execute(readable)}
    actors = {
        actor.id: actor
        for actor in session.scalars(
            select(Actor).where(Actor.id.in_(readable.with_only_columns(Input.actor_id)))
        )
    }
    reflected_actors = {inputs[i] for i in reflected_inputs if i in inputs}
    members: dict[int, set[int]] = defaultdict(set)
    run = latest_run(session, process)
    if run is not None:
        for input_id, number in session.execute(
            select(AnalysisResult.input_id, AnalysisResult.cluster_number).where(
                AnalysisResult.run_id == run.id, AnalysisResult.cluster_number >= 0
            )
        ):
            members[number].add(input_id)
    linked = {link.cluster_number for link in links if run is not None and link.run_id == run.id}
    clusters_reflected = sum(
        1 for n, ids in members.items() if n in linked or ids & reflected_inputs
    )
    return Coverage(
        title=f"{draft.title}, {what}",
        draft_title=draft.title,
        revision=revision,
        adopted=adopted,
        clusters=Share("clusters", clusters_reflected, len(members)),
        actors=Share("actors", len(reflected_actors), len(actors)),
        inputs=Share("inputs", len(reflected_inputs & set(inputs)), len(inputs)),
        regions=_shares(actors, reflected_actors, "region", "no region"),
        groups=_shares(actors, reflected_actors, "regional_group", "no regional group"),
        categories=_shares(actors, reflected_actors, "stakeholder_category", None),
    )
