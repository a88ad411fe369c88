"""negotiation: a revision keeps the title it was issued under

Revision ID: 5a7e2c9d1b34
Revises: 3c8d5e1f7a90
Create Date: 2026-12-07 22:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5a7e2c9d1b34"
down_revision: str | None = "3c8d5e1f7a90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


IMMUTABLE = "issued revisions never change"


def upgrade() -> None:
    # the database refuses any UPDATE of an issued revision: lifted while the new column is
    # filled, for this once, and put back
    _allow_changes()
    with op.batch_alter_table("draft_revision") as batch:
        batch.add_column(
            sa.Column("title", sa.String(length=500), server_default="", nullable=False)
        )
    # revisions issued before: the draft's title now is the best known
    draft = sa.table("draft", sa.column("id", sa.Integer), sa.column("title", sa.String))
    revisions = sa.table(
        "draft_revision", sa.column("draft_id", sa.Integer), sa.column("title", sa.String)
    )
    op.execute(
        revisions.update().values(
            title=sa.select(draft.c.title)
            .where(draft.c.id == revisions.c.draft_id)
            .scalar_subquery()
        )
    )
    _refuse_changes()


def downgrade() -> None:
    _allow_changes()
    with op.batch_alter_table("draft_revision") as batch:
        batch.drop_column("title")
    _refuse_changes()


def _allow_changes() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS draft_revision_immutable ON draft_revision")
    else:
        op.execute("DROP TRIGGER IF EXISTS draft_revision_immutable")


def _refuse_changes() -> None:
    """As the revisions' first migration made it: any UPDATE of an issued revision refused."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER draft_revision_immutable BEFORE UPDATE ON draft_revision "
            "FOR EACH ROW EXECUTE FUNCTION draft_revision_immutable()"
        )
    else:
        op.execute(
            "CREATE TRIGGER draft_revision_immutable BEFORE UPDATE ON draft_revision "
            f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END"
        )
