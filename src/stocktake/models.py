"""Every domain's models, imported in one place so that the metadata (and Alembic) sees them all."""

from stocktake.accounts.models import ApiToken, User
from stocktake.analysis.models import (
    AnalysisCluster,
    AnalysisDivergence,
    AnalysisResult,
    AnalysisRun,
    AnalysisTheme,
    ConfirmedCluster,
    ConfirmedClusterMember,
    TextVector,
)
from stocktake.audit.models import AuditEvent
from stocktake.consultation.models import FrameworkReference, Input, InputTag
from stocktake.core.db import Base
from stocktake.core.jobs.models import Job
from stocktake.frameworks.models import FrameworkItem
from stocktake.meetings.models import Meeting, Participant
from stocktake.negotiation.models import (
    Amendment,
    AmendmentPosition,
    Draft,
    DraftElement,
    DraftRevision,
    NegotiationRound,
    NegotiationSetting,
)
from stocktake.news.models import NewsItem
from stocktake.notifications.models import Notification, NotificationSetting, OutboxMail
from stocktake.process.models import Phase, Process, Term
from stocktake.registry.models import Actor, GroupMembership
from stocktake.review.models import (
    Action,
    Indicator,
    Objective,
    Observation,
    Pledge,
    PledgeUpdate,
)
from stocktake.summary.models import Summary, SummaryVersion

__all__ = [
    "Action",
    "Actor",
    "Amendment",
    "AmendmentPosition",
    "AnalysisCluster",
    "AnalysisDivergence",
    "AnalysisResult",
    "AnalysisRun",
    "AnalysisTheme",
    "ApiToken",
    "AuditEvent",
    "Base",
    "ConfirmedCluster",
    "ConfirmedClusterMember",
    "Draft",
    "DraftElement",
    "DraftRevision",
    "FrameworkItem",
    "FrameworkReference",
    "GroupMembership",
    "Indicator",
    "Input",
    "InputTag",
    "Job",
    "Meeting",
    "NegotiationRound",
    "NegotiationSetting",
    "NewsItem",
    "Notification",
    "NotificationSetting",
    "Objective",
    "Observation",
    "OutboxMail",
    "Participant",
    "Phase",
    "Pledge",
    "PledgeUpdate",
    "Process",
    "Summary",
    "SummaryVersion",
    "Term",
    "TextVector",
    "User",
]
