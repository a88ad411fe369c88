"""What the negotiation's pages and API share."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from stocktake.core.permissions import Principal
from stocktake.negotiation.exports import ExportFile
from stocktake.negotiation.models import Draft
from stocktake.registry.models import Actor, GroupMembership


def file_response(file: ExportFile) -> Response:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.name}"'},
    )


def back(draft: Draft, path: str = "") -> RedirectResponse:
    return RedirectResponse(f"/drafts/{draft.id}{path}", status_code=303)


def speaks_for(session: Session, by: Principal) -> list[Actor]:
    """The actors a delegation may propose for: its own and the groups of states it is in."""
    if by.actor_id is None:
        return []
    own = session.get(Actor, by.actor_id)
    groups = session.scalars(
        select(Actor)
        .join(GroupMembership, GroupMembership.group_id == Actor.id)
        .where(GroupMembership.member_id == by.actor_id)
        .order_by(Actor.name)
    )
    return ([own] if own else []) + list(groups)
