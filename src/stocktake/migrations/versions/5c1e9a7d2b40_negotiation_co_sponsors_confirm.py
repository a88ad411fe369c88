"""negotiation: co-sponsors confirm

Revision ID: 5c1e9a7d2b40
Revises: 23f8c82d4bdf
Create Date: 2026-12-06 23:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e9a7d2b40"
down_revision: str | None = "23f8c82d4bdf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "amendment_position",
        sa.Column("confirmed", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    # co-sponsors recorded before confirmation existed stand as they were: confirmed
    position = sa.table("amendment_position", sa.column("role"), sa.column("confirmed"))
    op.execute(position.update().where(position.c.role == "co_sponsor").values(confirmed=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("amendment_position") as batch:
        batch.drop_column("confirmed")
