from __future__ import annotations

from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.review.services.frame import ensure_frame
from tests.factories.process import gcm

SYSTEM = Principal.system()


def frame(session: Session) -> None:
    """The GCM's frame of follow-up (its 23 objectives and their actions), as the shipped file
    gives it."""
    ensure_frame(session, gcm(session), by=SYSTEM)
