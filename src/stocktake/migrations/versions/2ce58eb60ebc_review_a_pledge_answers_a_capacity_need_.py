"""review: a pledge answers a capacity need, confirmations recorded on a partner's behalf,
the report's narrative

Revision ID: 2ce58eb60ebc
Revises: d134d7c40ff9
Create Date: 2026-12-07 00:29:58.092384
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stocktake.core.db

revision: str = "2ce58eb60ebc"
down_revision: str | None = "d134d7c40ff9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_cycle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("narrative", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("narrative_edited", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "narrative_updated_at", stocktake.core.db.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("narrative_updated_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_review_cycle_narrative_updated_by_id_user_account"),
            "user_account",
            ["narrative_updated_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("review_pledge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answers_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_review_pledge_answers_id"), ["answers_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_review_pledge_answers_id_review_capacity_item"),
            "review_capacity_item",
            ["answers_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("review_pledge_confirmation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("on_behalf", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("note", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("review_pledge_confirmation", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("on_behalf")

    with op.batch_alter_table("review_pledge", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_review_pledge_answers_id_review_capacity_item"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_review_pledge_answers_id"))
        batch_op.drop_column("answers_id")

    with op.batch_alter_table("review_cycle", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_review_cycle_narrative_updated_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("narrative_updated_by_id")
        batch_op.drop_column("narrative_updated_at")
        batch_op.drop_column("narrative_edited")
        batch_op.drop_column("narrative")
