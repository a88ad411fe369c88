"""Every domain's models, imported in one place so that the metadata (and Alembic) sees them all."""

from stocktake.accounts.models import ApiToken, User
from stocktake.audit.models import AuditEvent
from stocktake.consultation.models import FrameworkReference, Input, InputTag
from stocktake.core.db import Base
from stocktake.meetings.models import Meeting, Participant
from stocktake.process.models import Phase, Process, Term
from stocktake.registry.models import Actor, GroupMembership

__all__ = [
    "Actor",
    "ApiToken",
    "AuditEvent",
    "Base",
    "FrameworkReference",
    "GroupMembership",
    "Input",
    "InputTag",
    "Meeting",
    "Participant",
    "Phase",
    "Process",
    "Term",
    "User",
]
