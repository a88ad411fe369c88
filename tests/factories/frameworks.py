from __future__ import annotations

from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.frameworks.services import REFERENCE_SDG, import_sdg_framework

SYSTEM = Principal.system()


def sdg(session: Session) -> None:
    """The SDG framework shipped with the package: goals, targets and indicators in six
    languages."""
    import_sdg_framework(session, REFERENCE_SDG, by=SYSTEM)
