"""one head: pledge confirmations and amounts, co-sponsors confirmed

Revision ID: d134d7c40ff9
Revises: 086a67abf201, 5c1e9a7d2b40
Create Date: 2026-12-06 23:54:37.745269
"""

from collections.abc import Sequence

revision: str = "d134d7c40ff9"
down_revision: str | tuple[str, ...] | None = ("086a67abf201", "5c1e9a7d2b40")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
