"""summary language and statement sources

Revision ID: c3a8d2f41b07
Revises: afa1f85ef4c9
Create Date: 2026-12-06 23:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3a8d2f41b07"
down_revision: str | None = "afa1f85ef4c9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("summary", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=2), server_default="en", nullable=False)
        )
    with op.batch_alter_table("summary_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sources", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("summary_version", schema=None) as batch_op:
        batch_op.drop_column("sources")
    with op.batch_alter_table("summary", schema=None) as batch_op:
        batch_op.drop_column("language")
