"""negotiation: tabling deadlines per round, late and merged amendments, decision dates

Revision ID: 6b2f4e8a1c37
Revises: d134d7c40ff9
Create Date: 2026-12-07 00:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stocktake.core.db

revision: str = "6b2f4e8a1c37"
down_revision: str | None = "d134d7c40ff9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DECIDED = ("accepted", "accepted_as_modified", "rejected", "withdrawn", "superseded")


def upgrade() -> None:
    with op.batch_alter_table("negotiation_round") as batch:
        batch.add_column(
            sa.Column(
                "tabling_deadline", stocktake.core.db.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch.add_column(
            sa.Column("refuse_late", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("amendment") as batch:
        batch.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("late", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("decided_at", stocktake.core.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch.create_index("ix_amendment_round_id", ["round_id"], unique=False)
        batch.create_foreign_key(
            "fk_amendment_round_id_negotiation_round",
            "negotiation_round",
            ["round_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # amendments decided before decision dates were kept: their last change is the best date
    amendment = sa.table(
        "amendment",
        sa.column("status", sa.String()),
        sa.column("updated_at", stocktake.core.db.UTCDateTime(timezone=True)),
        sa.column("decided_at", stocktake.core.db.UTCDateTime(timezone=True)),
    )
    op.execute(
        amendment.update()
        .where(amendment.c.status.in_(DECIDED))
        .values(decided_at=amendment.c.updated_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("amendment") as batch:
        batch.drop_constraint("fk_amendment_round_id_negotiation_round", type_="foreignkey")
        batch.drop_index("ix_amendment_round_id")
        batch.drop_column("decided_at")
        batch.drop_column("merged_into")
        batch.drop_column("late")
        batch.drop_column("round_id")
    with op.batch_alter_table("negotiation_round") as batch:
        batch.drop_column("refuse_late")
        batch.drop_column("tabling_deadline")
