"""How a draft's papers go out: document symbol, distribution, date, paper size, line numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction
from stocktake.core.errors import Conflict, Problem, ValidationFailed
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import Text
from stocktake.negotiation.models import Draft
from stocktake.negotiation.said import longer_than

PAPER_SIZES = ("A4", "Letter")
DISTRIBUTIONS = ("General", "Limited", "Restricted")


@dataclass
class PaperDetails:
    symbol: str = ""  # e.g. A/CONF.231/3; empty: none
    distribution: str = "General"
    dated: dt.date | None = None  # empty: each revision bears its issue date
    paper: str = "A4"
    line_numbers: bool = False


def set_paper_details(
    session: Session, draft: Draft, details: PaperDetails, *, by: Principal
) -> Draft:
    """The secretariat sets what the header of the draft's papers says and how they are laid
    out; a symbol another draft bears is refused, naming that draft."""
    require(by, Permission.DRAFTS_MANAGE)
    symbol = " ".join(details.symbol.split())
    problems = []
    if len(symbol) > 80:
        problems.append(Problem("symbol", longer_than(80)))
    if details.distribution not in DISTRIBUTIONS:
        problems.append(
            Problem("distribution", Text("is one of %(choices)s", choices=", ".join(DISTRIBUTIONS)))
        )
    if details.paper not in PAPER_SIZES:
        problems.append(
            Problem("paper", Text("is one of %(choices)s", choices=", ".join(PAPER_SIZES)))
        )
    if problems:
        raise ValidationFailed(f"draft {draft.id}", problems)
    if symbol:
        other = session.scalar(select(Draft).where(Draft.symbol == symbol, Draft.id != draft.id))
        if other is not None:
            raise Conflict(
                Text(
                    "the symbol %(symbol)s is borne by draft %(draft)s (%(title)s)",
                    symbol=symbol,
                    draft=other.id,
                    title=other.title,
                )
            )

    wanted = {
        "symbol": symbol or None,
        "distribution": details.distribution,
        "dated": details.dated,
        "paper": details.paper,
        "line_numbers": details.line_numbers,
    }
    changes = {
        key: [_plain(getattr(draft, key)), _plain(value)]
        for key, value in wanted.items()
        if getattr(draft, key) != value
    }
    if not changes:
        return draft  # so already: nothing changes, nothing is recorded
    with transaction(session):
        for key, value in wanted.items():
            setattr(draft, key, value)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.DRAFT_DETAILS_CHANGED,
            target_type="draft",
            target_key=draft.id,
            summary=f"papers: {', '.join(changes)}",
            changes=changes,
        )
    return draft


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value
