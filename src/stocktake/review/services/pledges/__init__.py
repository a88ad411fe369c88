"""Pledges: what they are made of and how input is read (`checks`), the actions on them
(`actions`) and reading them (`queries`)."""

from __future__ import annotations

from stocktake.review.services.pledges.actions import (
    confirm_pledge,
    publish_pledge,
    submit_pledge,
    update_pledge_status,
)
from stocktake.review.services.pledges.checks import (
    KINDS,
    LEVELS,
    MODES,
    NOTES,
    STATUSES,
    PledgeData,
    action_ref,
    currency_name,
    formatted_amount,
)
from stocktake.review.services.pledges.queries import (
    PledgeDashboard,
    PledgeFilter,
    answering,
    get_pledge,
    list_pledges,
    pledge_dashboard,
    pledges_answering,
    pledges_by_objective,
)

__all__ = [
    "KINDS",
    "LEVELS",
    "MODES",
    "NOTES",
    "STATUSES",
    "PledgeDashboard",
    "PledgeData",
    "PledgeFilter",
    "action_ref",
    "answering",
    "confirm_pledge",
    "currency_name",
    "formatted_amount",
    "get_pledge",
    "list_pledges",
    "pledge_dashboard",
    "pledges_answering",
    "pledges_by_objective",
    "publish_pledge",
    "submit_pledge",
    "update_pledge_status",
]
