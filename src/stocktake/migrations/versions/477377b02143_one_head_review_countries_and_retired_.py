"""one head: review countries and retired frame, negotiation papers

Revision ID: 477377b02143
Revises: 1a5db9115432, 3c1e5a7d9b20
Create Date: 2026-12-06 23:05:33.304551
"""

from collections.abc import Sequence

revision: str = "477377b02143"
down_revision: str | tuple[str, ...] | None = ("1a5db9115432", "3c1e5a7d9b20")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
