"""consultation: inputs listed newest first from an index

The lists of inputs show a process's inputs newest first (`submitted_at DESC NULLS LAST, id DESC`),
a page of 50 at a time. Without an index in that order the database reads and sorts every input of
the process for each page (about 1,700 in the demo); with it, it reads the page's rows in order.
PostgreSQL puts nulls first in a descending index unless told; SQLite sorts them lowest, so last in
a descending one, and has no NULLS clause in an index. Named ix_input_listed*, which migrations/env.py
leaves out of autogenerate (the model cannot say the clause for one backend only).

Revision ID: 42826624be72
Revises: ecdcf59ed80b
Create Date: 2026-12-07 08:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "42826624be72"
down_revision: str | None = "ecdcf59ed80b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    nulls = " NULLS LAST" if op.get_bind().dialect.name == "postgresql" else ""
    op.execute(
        f"CREATE INDEX ix_input_listed ON input (process_id, submitted_at DESC{nulls}, id DESC)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_input_listed")
