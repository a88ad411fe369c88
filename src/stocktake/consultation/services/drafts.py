"""Drafts: an input its author keeps, edits and sends when ready."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.consultation.models import Input, InputStatus
from stocktake.consultation.services import get_input
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, PermissionDenied
from stocktake.core.permissions import Permission, Principal
from stocktake.core.translation import Text, translatable


def is_author(by: Principal, record: Input) -> bool:
    return by.can(Permission.INPUTS_SUBMIT_OWN) and by.actor_id == record.actor_id


def may_edit(by: Principal, record: Input) -> bool:
    """The author edits its draft or its submitted input until it is published; the secretariat
    edits any input."""
    if by.can(Permission.INPUTS_MODERATE):
        return True
    return is_author(by, record) and record.status in (
        InputStatus.DRAFT.value,
        InputStatus.SUBMITTED.value,
    )


def editable_input(session: Session, input_id: int, *, by: Principal) -> Input:
    """An input to edit: one its reader may see (others are as if they did not exist) and may
    edit."""
    record = get_input(session, input_id, by=by)
    if not may_edit(by, record):
        raise PermissionDenied(
            Permission.INPUTS_SUBMIT_OWN,
            Text("only its author, until it is published, or the secretariat"),
        )
    return record


NOT_A_DRAFT = {
    InputStatus.SUBMITTED.value: translatable("input %(input)s is submitted, not a draft"),
    InputStatus.PUBLISHED.value: translatable("input %(input)s is published, not a draft"),
    InputStatus.WITHDRAWN.value: translatable("input %(input)s is withdrawn, not a draft"),
}
"""What is said of an input sent as a draft that is not one any more, by its status."""


def _require_draft(record: Input) -> None:
    if record.status != InputStatus.DRAFT.value:
        message = NOT_A_DRAFT.get(record.status, "input %(input)s is %(status)s, not a draft")
        raise Conflict(Text(message, input=record.id, status=record.status))


def submit_draft(session: Session, record: Input, *, by: Principal) -> Input:
    """Send a draft to the secretariat: its author or the secretariat."""
    if not (by.can(Permission.INPUTS_MODERATE) or is_author(by, record)):
        raise PermissionDenied(
            Permission.INPUTS_SUBMIT_OWN, Text("only the author or the secretariat")
        )
    _require_draft(record)
    with transaction(session):
        # as it is now, inside the write: of two clicks on "Submit" at once, the second finds it sent
        session.refresh(record, ["status"], with_for_update=True)
        _require_draft(record)
        record.status = InputStatus.SUBMITTED.value
        record.submitted_at = utcnow()
        record_event(
            session,
            by=by,
            action=AuditAction.INPUT_SUBMITTED,
            target_type="input",
            target_key=record.id,
            summary="draft submitted",
            changes={"status": [InputStatus.DRAFT.value, record.status]},
        )
    return record
