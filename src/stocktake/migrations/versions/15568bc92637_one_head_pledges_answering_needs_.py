"""one head: pledges answering needs, published scores, tabling deadlines, language versions

Revision ID: 15568bc92637
Revises: 2ce58eb60ebc, 6b2f4e8a1c37, bbe30bda4145, fd2fcbb2f083
Create Date: 2026-12-07 01:27:36.469075
"""

from collections.abc import Sequence

revision: str = "15568bc92637"
down_revision: str | tuple[str, ...] | None = (
    "2ce58eb60ebc",
    "6b2f4e8a1c37",
    "bbe30bda4145",
    "fd2fcbb2f083",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
