from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from stocktake.consultation.models import Input
from stocktake.consultation.services import ImportReport, InputData, import_inputs, submit_input
from stocktake.core.permissions import Principal
from stocktake.process.models import Process

SYSTEM = Principal.system()


def submitted(
    session: Session,
    process: Process,
    text: str,
    *,
    submitter: str,
    by: Principal = SYSTEM,
    **fields: object,
) -> Input:
    """One input submitted through the service (other InputData fields by keyword)."""
    return submit_input(
        session, process, InputData(text=text, submitter=submitter, **fields), by=by
    )


def imported(
    session: Session, process: Process, rows: Sequence[InputData], *, source: str = "test rows"
) -> ImportReport:
    """Many inputs imported at once, rows named 'row 1', 'row 2', ..."""
    return import_inputs(
        session,
        process,
        [(f"row {number}", row) for number, row in enumerate(rows, 1)],
        by=SYSTEM,
        source=source,
    )
