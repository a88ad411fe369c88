from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.review.models import ReviewCycle
from stocktake.review.services.cycles import create_cycle
from stocktake.review.services.frame import ensure_frame
from tests.factories.process import gcm

SYSTEM = Principal.system()


def frame(session: Session) -> None:
    """The GCM's frame of follow-up (its 23 objectives), as its process definition gives it."""
    ensure_frame(session, gcm(session), by=SYSTEM)


def cycle(
    session: Session,
    *,
    slug: str,
    scope: str = "global",
    region: str = "",
    start: dt.date = dt.date(2026, 5, 5),
    days: int = 4,
) -> ReviewCycle:
    """A review cycle of the GCM (global unless `scope` and `region` say otherwise)."""
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
