"""negotiation: language versions of revisions

Revision ID: fd2fcbb2f083
Revises: d134d7c40ff9
Create Date: 2026-12-07 00:28:29.616750
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stocktake.core.db

revision: str = "fd2fcbb2f083"
down_revision: str | None = "d134d7c40ff9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "draft_language_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=3), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("added_by", sa.String(length=320), nullable=False),
        sa.Column("added_at", stocktake.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
            name=op.f("fk_draft_language_version_draft_id_draft"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_language_version")),
        sa.UniqueConstraint(
            "draft_id",
            "revision_number",
            "language",
            "edition",
            name=op.f("uq_draft_language_version_edition"),
        ),
    )
    with op.batch_alter_table("draft_language_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draft_language_version_draft_id"), ["draft_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("draft_language_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_language_version_draft_id"))

    op.drop_table("draft_language_version")
