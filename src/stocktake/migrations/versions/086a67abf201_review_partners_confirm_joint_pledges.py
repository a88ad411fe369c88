"""review: partners confirm joint pledges

Revision ID: 086a67abf201
Revises: bdae226ce7bd
Create Date: 2026-12-06 23:48:04.704064
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stocktake.core.db

revision: str = "086a67abf201"
down_revision: str | None = "bdae226ce7bd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_pledge_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", stocktake.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
            name=op.f("fk_review_pledge_confirmation_actor_id_actor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["user_account.id"],
            name=op.f("fk_review_pledge_confirmation_confirmed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"],
            ["review_pledge.id"],
            name=op.f("fk_review_pledge_confirmation_pledge_id_review_pledge"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_pledge_confirmation")),
        sa.UniqueConstraint(
            "pledge_id", "actor_id", name=op.f("uq_review_pledge_confirmation_pledge_id_actor_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("review_pledge_confirmation")
