from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.review.models import ReviewCycle
from stocktake.review.services.cycles import create_cycle
from stocktake.review.services.frame import ensure_frame
from stocktake.review.services.pledges import PledgeData
from tests.factories.process import gcm

SYSTEM = Principal.system()
PLEDGE_TEXT = "Training for labour inspectors on fair recruitment, in every region. " * 6


def pledge_data(**changes: object) -> PledgeData:
    """A national pledge of Mexico on objective 6, 2024–2027, with `changes` (a joint pledge:
    `mode="joint", partners=["PHL"]`)."""
    fields: dict[str, object] = {
        "actor": "MEX",
        "title": "Inspectors trained",
        "description": PLEDGE_TEXT,
        "kind": "human_resources",
        "level": "national",
        "objectives": [6],
        "actions": [],
        "start_year": 2024,
        "end_year": 2027,
    }
    fields.update(changes)
    return PledgeData(**fields)  # type: ignore[arg-type]


def frame(session: Session) -> None:
    """The GCM's frame of follow-up (its 23 objectives), as its process definition gives it."""
    ensure_frame(session, gcm(session), by=SYSTEM)


def cycle(
    session: Session,
    *,
    slug: str,
    scope: str = "global",
    region: str = "",
    start: dt.date | None = None,
    days: int = 4,
) -> ReviewCycle:
    """A review cycle of the GCM (global unless `scope` and `region` say otherwise), starting
    today unless `start` says otherwise: running, its report takes stock of everything to date
    (an ended cycle's report stops at its last day)."""
    start = start or dt.datetime.now(dt.UTC).date()
    return create_cycle(
        session,
        gcm(session),
        slug=slug,
        title=f"Review cycle {slug}",
        scope=scope,
        region=region,
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        by=SYSTEM,
    )
