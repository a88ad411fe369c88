"""one head: notifications and news

Revision ID: 7c2c8db2d6bd
Revises: d1b5b97c3a01, ae9b955d08f1
Create Date: 2026-12-07 04:38:09.936693
"""

from collections.abc import Sequence

revision: str = "7c2c8db2d6bd"
down_revision: str | tuple[str, ...] | None = ("d1b5b97c3a01", "ae9b955d08f1")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
