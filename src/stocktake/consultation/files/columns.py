"""The columns of a file of inputs: those an import reads, and those an export adds."""

from __future__ import annotations

REQUIRED = ("submitter", "text")
LIST_COLUMNS = ("dimensions", "input_types", "references")
IMPORT_COLUMNS = (
    "external_id",
    "submitter",
    "on_behalf_of",
    "kind",
    "meeting",
    "title",
    "text",
    "dimensions",
    "input_types",
    "references",
    "language",
    "status",
    "submitted_at",
)
EXPORT_ONLY = (
    "id",
    "submitter_name",
    "actor_kind",
    "region",
    "regional_group",
    "stakeholder_category",
    "channel",
    "withdrawn_reason",
    "attachment_name",
)
"""Columns an export adds; an import accepts and ignores them, so an export can be imported again."""
EXPORT_COLUMNS = (
    "id",
    "external_id",
    "submitter",
    "submitter_name",
    "actor_kind",
    "region",
    "regional_group",
    "stakeholder_category",
    "on_behalf_of",
    "kind",
    "meeting",
    "title",
    "text",
    "dimensions",
    "input_types",
    "references",
    "language",
    "status",
    "channel",
    "submitted_at",
    "withdrawn_reason",
    "attachment_name",
)
