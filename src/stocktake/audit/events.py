"""Audit event names: `scope:resource:action`, never loose strings."""

import enum


class AuditAction(enum.StrEnum):
    PROCESS_LOADED = "process:process:load"
    ACTOR_CREATED = "registry:actor:create"
    ACTORS_IMPORTED = "registry:actor:import"
    REFERENCE_LOADED = "registry:reference:load"
    MEETING_CREATED = "meetings:meeting:create"
    PARTICIPANT_REGISTERED = "meetings:participant:register"
    ATTENDANCE_RECORDED = "meetings:participant:attend"
    USER_CREATED = "accounts:user:create"
    TOKEN_ISSUED = "accounts:token:issue"  # noqa: S105  (an event name)
    TOKEN_REVOKED = "accounts:token:revoke"  # noqa: S105  (an event name)
    SIGN_IN_FAILED = "accounts:session:sign_in_failed"
    SIGNED_OUT = "accounts:session:sign_out"
    USER_DEACTIVATED = "accounts:user:deactivate"
    USER_ACTIVATED = "accounts:user:activate"
    DEMO_LOADED = "demo:data:load"
    INPUT_SUBMITTED = "consultation:input:submit"
    INPUT_UPDATED = "consultation:input:update"
    INPUT_PUBLISHED = "consultation:input:publish"
    INPUT_WITHDRAWN = "consultation:input:withdraw"
    INPUT_RETAGGED = "consultation:input:retag"
    INPUTS_IMPORTED = "consultation:input:import"
    FRAMEWORK_IMPORTED = "frameworks:framework:import"
    ANALYSIS_STARTED = "analysis:run:start"
    ANALYSIS_COMPLETED = "analysis:run:complete"
    CLUSTER_EDITED = "analysis:cluster:edit"
    SUMMARY_GENERATED = "summary:summary:generate"
    SUMMARY_SAVED = "summary:version:save"
    SUMMARY_PUBLISHED = "summary:version:publish"
    FRAME_LOADED = "review:frame:load"
    INDICATORS_IMPORTED = "review:indicator:import"
    PLEDGE_SUBMITTED = "review:pledge:submit"
    PLEDGE_PUBLISHED = "review:pledge:publish"
    PLEDGE_STATUS_UPDATED = "review:pledge:update_status"
