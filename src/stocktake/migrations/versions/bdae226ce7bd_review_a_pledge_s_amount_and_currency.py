"""review: a pledge's amount and currency

Revision ID: bdae226ce7bd
Revises: 23f8c82d4bdf
Create Date: 2026-12-06 23:46:33.941313
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "bdae226ce7bd"
down_revision: str | None = "23f8c82d4bdf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_pledge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True))
        batch_op.add_column(
            sa.Column("currency", sa.String(length=3), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("review_pledge", schema=None) as batch_op:
        batch_op.drop_column("currency")
        batch_op.drop_column("amount")
