"""one head: summary sources and languages

Revision ID: 23f8c82d4bdf
Revises: 477377b02143, c3a8d2f41b07
Create Date: 2026-12-06 23:23:18.243466
"""

from collections.abc import Sequence

revision: str = "23f8c82d4bdf"
down_revision: str | tuple[str, ...] | None = ("477377b02143", "c3a8d2f41b07")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
