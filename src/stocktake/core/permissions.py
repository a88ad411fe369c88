"""Roles, permissions and the principal on whose behalf an action runs.

Permissions are `scope:resource:action` strings held in an enum; each role has a fixed set.
Services and queries call `require(by, Permission.X)` before they act or look. A handler calls it only
in the cases docs/architecture.md lists (a page built from lookups shared without a principal, a form
page that calls no service, costly work the service would refuse anyway), and asks `by.can(...)` only
to decide what to show; no other code decides who may do what.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from stocktake.core.errors import PermissionDenied
from stocktake.core.translation import Text, translatable


class Role(enum.StrEnum):
    SECRETARIAT = "secretariat"
    DELEGATION_MEMBER = "delegation_member"
    STAKEHOLDER = "stakeholder"
    PUBLIC = "public"


class Permission(enum.StrEnum):
    PROCESS_READ = "process:process:read"
    PROCESS_LOAD = "process:process:load"
    ACTORS_READ = "registry:actor:read"
    ACTORS_CREATE = "registry:actor:create"
    MEETINGS_READ = "meetings:meeting:read"
    MEETINGS_CREATE = "meetings:meeting:create"
    MEETINGS_MANAGE = "meetings:meeting:manage"
    REGISTRATIONS_READ_ANY = "meetings:registration:read_any"
    REGISTRATIONS_READ_OWN = "meetings:registration:read_own"
    REGISTRATIONS_CREATE_ANY = "meetings:registration:create_any"
    REGISTRATIONS_CREATE_OWN = "meetings:registration:create_own"
    ATTENDANCE_RECORD = "meetings:attendance:record"
    AUDIT_READ = "audit:event:read"
    JOBS_READ = "jobs:job:read"
    USERS_CREATE = "accounts:user:create"
    USERS_MANAGE = "accounts:user:manage"
    DEMO_LOAD = "demo:data:load"
    INPUTS_READ_PUBLISHED = "consultation:input:read_published"
    INPUTS_READ_OWN = "consultation:input:read_own"
    INPUTS_READ_ANY = "consultation:input:read_any"
    INPUTS_SUBMIT_OWN = "consultation:input:submit_own"
    INPUTS_SUBMIT_ANY = "consultation:input:submit_any"
    INPUTS_MODERATE = "consultation:input:moderate"
    INPUTS_IMPORT = "consultation:input:import"
    FRAMEWORKS_IMPORT = "frameworks:framework:import"
    ANALYSIS_RUN = "analysis:run:start"
    ANALYSIS_READ = "analysis:run:read"
    CLUSTERS_EDIT = "analysis:cluster:edit"
    SUMMARY_READ = "summary:summary:read"
    SUMMARY_READ_PUBLISHED = "summary:summary:read_published"
    SUMMARY_EDIT = "summary:summary:edit"
    DRAFTS_READ_PUBLISHED = "negotiation:draft:read_published"
    DRAFTS_MANAGE = "negotiation:draft:manage"
    AMENDMENTS_PROPOSE_OWN = "negotiation:amendment:propose_own"
    AMENDMENTS_PROPOSE_ANY = "negotiation:amendment:propose_any"
    AMENDMENTS_DECIDE = "negotiation:amendment:decide"
    THREAD_LINK = "negotiation:thread:link"
    REVIEW_READ_PUBLISHED = "review:review:read_published"
    REVIEW_MANAGE = "review:review:manage"
    OBSERVATIONS_REPORT_OWN = "review:observation:report_own"
    PLEDGES_READ_OWN = "review:pledge:read_own"
    PLEDGES_READ_ANY = "review:pledge:read_any"
    PLEDGES_SUBMIT_OWN = "review:pledge:submit_own"
    PLEDGES_SUBMIT_ANY = "review:pledge:submit_any"
    PLEDGES_PUBLISH = "review:pledge:publish"
    CONTRIBUTIONS_SUBMIT_OWN = "review:contribution:submit_own"
    CONTRIBUTIONS_SUBMIT_ANY = "review:contribution:submit_any"
    CONTRIBUTIONS_PUBLISH = "review:contribution:publish"
    NEWS_MANAGE = "news:item:manage"


_PUBLIC = {
    Permission.PROCESS_READ,
    Permission.ACTORS_READ,
    Permission.MEETINGS_READ,
    Permission.INPUTS_READ_PUBLISHED,
    Permission.SUMMARY_READ_PUBLISHED,
    Permission.DRAFTS_READ_PUBLISHED,
    Permission.REVIEW_READ_PUBLISHED,
}
_MEMBER = _PUBLIC | {
    Permission.REGISTRATIONS_READ_OWN,
    Permission.REGISTRATIONS_CREATE_OWN,
    Permission.INPUTS_READ_OWN,
    Permission.INPUTS_SUBMIT_OWN,
    Permission.PLEDGES_READ_OWN,
    Permission.PLEDGES_SUBMIT_OWN,
    Permission.CONTRIBUTIONS_SUBMIT_OWN,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PUBLIC: frozenset(_PUBLIC),
    # Only delegations negotiate the text, and report their own country's indicator data (a
    # State's delegation; the action checks the actor is one); stakeholders do neither.
    Role.DELEGATION_MEMBER: frozenset(
        _MEMBER | {Permission.AMENDMENTS_PROPOSE_OWN, Permission.OBSERVATIONS_REPORT_OWN}
    ),
    Role.STAKEHOLDER: frozenset(_MEMBER),
    Role.SECRETARIAT: frozenset(Permission),
}


@dataclass(frozen=True)
class Principal:
    """Who acts: a signed-in user with a role (and, for delegations and stakeholders, their actor),
    the anonymous public, or the system itself (command line, data loads)."""

    role: Role
    user_id: int | None = None
    email: str | None = None
    actor_id: int | None = None
    is_system: bool = False

    @classmethod
    def public(cls) -> Principal:
        return cls(role=Role.PUBLIC)

    @classmethod
    def system(cls) -> Principal:
        return cls(role=Role.SECRETARIAT, is_system=True)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.is_system

    @property
    def label(self) -> str:
        if self.is_system:
            return "system"
        return self.email or "public"

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


STAFF_LABEL = translatable("the secretariat")
"""Who acted, as anyone but the secretariat reads it (a page shows it in its own language)."""


def who_acted(label: str, by: Principal, *, otherwise: str = STAFF_LABEL) -> str:
    """Who did something (a user's e-mail, as stored with what they did), as `by` may see it: the
    e-mail for whoever reads the audit log (the secretariat), a neutral label for anyone else,
    so that no staff member's or delegate's address reaches delegations or the public."""
    return label if by.can(Permission.AUDIT_READ) else otherwise


def require(by: Principal, permission: Permission) -> None:
    if not by.can(permission):
        raise PermissionDenied(permission, Text("role %(role)s", role=by.role.value))
