"""one head: the thread's links

Revision ID: bbbe26f11c65
Revises: 15568bc92637, bf7318febec0
Create Date: 2026-12-07 01:28:59.782862
"""

from collections.abc import Sequence

revision: str = "bbbe26f11c65"
down_revision: str | tuple[str, ...] | None = ("15568bc92637", "bf7318febec0")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
