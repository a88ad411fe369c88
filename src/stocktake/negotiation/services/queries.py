"""Reading drafts and amendments: a draft's working text, elements and revisions; amendments as ORM
objects for their pages and as plain rows for compilation texts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stocktake.core.errors import NotFound
from stocktake.core.translation import Text, translatable
from stocktake.negotiation.models import (
    PENDING,
    Amendment,
    AmendmentPosition,
    Draft,
    DraftElement,
    DraftRevision,
    PositionRole,
)
from stocktake.negotiation.text import Node, number_nodes
from stocktake.registry.models import Actor
from stocktake.registry.names import named_as

UNCONFIRMED = " (to confirm)"
"""After the code of a co-sponsor named by the secretariat that has not confirmed yet."""
TO_CONFIRM = translatable("%(actor)s (to confirm)")


def _english(message: str) -> str:
    return message


def working_nodes(draft: Draft) -> list[Node]:
    return number_nodes(
        [
            Node(e.eid, e.kind, e.text, e.status, origin=e.origin, label=e.label)
            for e in sorted(draft.elements, key=lambda e: e.position)
        ]
    )


def element_of(draft: Draft, eid: str) -> DraftElement:
    for element in draft.elements:
        if element.eid == eid:
            return element
    raise NotFound(Text("element"), eid)


def revision_of(draft: Draft, number: int) -> DraftRevision:
    for revision in draft.revisions:
        if revision.number == number:
            return revision
    raise NotFound(Text("revision"), number)


def list_amendments(session: Session, draft: Draft) -> list[Amendment]:
    return list(
        session.scalars(
            select(Amendment)
            .where(Amendment.draft_id == draft.id)
            .options(selectinload(Amendment.positions))
            .order_by(Amendment.number)
        )
    )


@dataclass(frozen=True)
class AmendmentView:
    """What a compilation text shows of a pending amendment, read without the ORM's overhead."""

    number: int
    kind: str
    target_eid: str
    quoted: str
    occurrence: int
    placement: str
    new_text: str
    new_kind: str
    destination_eid: str | None
    anchor_start: int | None
    in_conflict: bool
    conflict_reason: str
    status: str
    sponsors: list[str]
    supporters: list[str] = field(default_factory=list)
    objectors: list[str] = field(default_factory=list)
    late: bool = False  # tabled after its round's deadline
    names: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    """Each actor above by the name delegates know it by (its short name, else its name), a
    State in the language of the paper it is read for."""

    @property
    def label(self) -> str:
        return f"A{self.number}"

    def named(self, codes: list[str], say: Callable[[str], str] = _english) -> str:
        """Actors by their names: "GRULAC, Mexico (to confirm)"; a code without a name stays as
        it is; `say`: a marked text in the paper's language ("Mexico (à confirmer)")."""
        return ", ".join(self._name(code, say) for code in codes)

    def _name(self, code: str, say: Callable[[str], str]) -> str:
        if code.endswith(UNCONFIRMED):
            actor = code.removesuffix(UNCONFIRMED)
            return say(TO_CONFIRM) % {"actor": self.names.get(actor, actor)}
        return self.names.get(code, code)


def pending_views(session: Session, draft: Draft, language: str = "en") -> list[AmendmentView]:
    """The draft's pending amendments with their sponsors and co-sponsors, supporters and
    objectors, in two queries; States named in `language`, the paper's."""
    columns = (
        Amendment.id,
        Amendment.number,
        Amendment.kind,
        Amendment.target_eid,
        Amendment.quoted,
        Amendment.occurrence,
        Amendment.placement,
        Amendment.new_text,
        Amendment.new_kind,
        Amendment.destination_eid,
        Amendment.anchor_start,
        Amendment.in_conflict,
        Amendment.conflict_reason,
        Amendment.status,
        Amendment.late,
    )
    pending = [s.value for s in PENDING]
    rows = session.execute(
        select(*columns)
        .where(Amendment.draft_id == draft.id, Amendment.status.in_(pending))
        .order_by(Amendment.number)
    ).all()
    sponsors: dict[int, list[str]] = {}
    stands: dict[tuple[int, str], list[str]] = {}
    names: dict[str, str] = {}
    for amendment_id, code, name, short_name, kind, iso3, confirmed, role in session.execute(
        select(
            AmendmentPosition.amendment_id,
            Actor.code,
            Actor.name,
            Actor.short_name,
            Actor.kind,
            Actor.iso3,
            AmendmentPosition.confirmed,
            AmendmentPosition.role,
        )
        .join(Actor, Actor.id == AmendmentPosition.actor_id)
        .join(Amendment, Amendment.id == AmendmentPosition.amendment_id)
        .where(Amendment.draft_id == draft.id, Amendment.status.in_(pending))
        .order_by(AmendmentPosition.id)
    ):
        names[code] = named_as(kind, iso3, short_name or name, language)
        if role in (PositionRole.SUPPORTER, PositionRole.OBJECTOR):
            stands.setdefault((amendment_id, role), []).append(code)
            continue
        # a co-sponsor named by the secretariat that has not confirmed yet is marked so
        unconfirmed = role == PositionRole.CO_SPONSOR and not confirmed
        sponsors.setdefault(amendment_id, []).append(
            f"{code}{UNCONFIRMED}" if unconfirmed else code
        )
    return [
        AmendmentView(
            number,
            kind,
            target,
            quoted,
            occurrence,
            placement,
            new_text,
            new_kind,
            destination,
            anchor,
            conflict,
            reason,
            status,
            sponsors.get(amendment_id, []),
            stands.get((amendment_id, PositionRole.SUPPORTER), []),
            stands.get((amendment_id, PositionRole.OBJECTOR), []),
            late,
            names,
        )
        for (
            amendment_id,
            number,
            kind,
            target,
            quoted,
            occurrence,
            placement,
            new_text,
            new_kind,
            destination,
            anchor,
            conflict,
            reason,
            status,
            late,
        ) in rows
    ]


def get_amendment(session: Session, draft: Draft, number: int) -> Amendment:
    amendment = session.scalar(
        select(Amendment)
        .where(Amendment.draft_id == draft.id, Amendment.number == number)
        .options(selectinload(Amendment.positions))
    )
    if amendment is None:
        raise NotFound(Text("amendment"), f"A{number}")
    return amendment


def amendments_of_actor(session: Session, actor_id: int) -> list[tuple[Draft, Amendment, str]]:
    """The amendments an actor sponsors or co-sponsors, on every draft, with its role: for its own
    list of items. Newest draft first, then by number."""
    rows = session.execute(
        select(Draft, Amendment, AmendmentPosition.role)
        .join(Amendment, Amendment.draft_id == Draft.id)
        .join(AmendmentPosition, AmendmentPosition.amendment_id == Amendment.id)
        .where(
            AmendmentPosition.actor_id == actor_id,
            AmendmentPosition.role.in_([PositionRole.SPONSOR, PositionRole.CO_SPONSOR]),
        )
        .order_by(Draft.id.desc(), Amendment.number)
    )
    return [(draft, amendment, str(role)) for draft, amendment, role in rows]
