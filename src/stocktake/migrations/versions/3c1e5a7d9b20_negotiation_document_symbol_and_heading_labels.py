"""negotiation: document symbol, distribution, date and paper of a draft; heading labels

Revision ID: 3c1e5a7d9b20
Revises: afa1f85ef4c9
Create Date: 2026-12-06 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c1e5a7d9b20"
down_revision: str | None = "afa1f85ef4c9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("symbol", sa.String(length=80), nullable=True))
        batch_op.add_column(
            sa.Column(
                "distribution", sa.String(length=40), server_default="General", nullable=False
            )
        )
        batch_op.add_column(sa.Column("dated", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("paper", sa.String(length=6), server_default="A4", nullable=False)
        )
        batch_op.add_column(
            sa.Column("line_numbers", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_unique_constraint(batch_op.f("uq_draft_symbol"), ["symbol"])
    with op.batch_alter_table("draft_element", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("label", sa.String(length=60), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("draft_element", schema=None) as batch_op:
        batch_op.drop_column("label")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_draft_symbol"), type_="unique")
        batch_op.drop_column("line_numbers")
        batch_op.drop_column("paper")
        batch_op.drop_column("dated")
        batch_op.drop_column("distribution")
        batch_op.drop_column("symbol")
