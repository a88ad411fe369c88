from __future__ import annotations

from itertools import count

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.registry.models import Actor
from stocktake.registry.services import ActorData, create_actor

SYSTEM = Principal.system()
_numbers = count(1)


def state(session: Session, iso3: str) -> Actor:
    """A state of the reference registry, by its ISO 3166 alpha-3 code."""
    actor = session.scalar(select(Actor).where(Actor.code == iso3))
    assert actor is not None, f"{iso3} is not in the reference registry"
    return actor


def organisation(
    session: Session,
    *,
    code: str = "",
    name: str = "",
    category: str = "civil_society",
    kind: str = "stakeholder",
    country: str = "",
) -> Actor:
    """A new organisation (a stakeholder unless `kind` says otherwise), with a code of its own
    unless given one, based in `country` when given."""
    number = next(_numbers)
    return create_actor(
        session,
        ActorData(
            code=code or f"TEST-ORG-{number}",
            name=name or f"Test organisation {number}",
            kind=kind,
            category=category,
            country=country,
        ),
        by=SYSTEM,
        categories=[category] if kind == "stakeholder" else [],
    )
