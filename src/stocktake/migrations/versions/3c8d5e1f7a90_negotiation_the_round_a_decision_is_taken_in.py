"""negotiation: the round in which an amendment's decision is taken

Revision ID: 3c8d5e1f7a90
Revises: 9e4b1c7d2a55
Create Date: 2026-12-07 19:40:00.000000
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stocktake.core.db

revision: str = "3c8d5e1f7a90"
down_revision: str | None = "9e4b1c7d2a55"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("amendment") as batch:
        batch.add_column(sa.Column("decided_round_id", sa.Integer(), nullable=True))
        batch.create_index("ix_amendment_decided_round_id", ["decided_round_id"], unique=False)
        batch.create_foreign_key(
            "fk_amendment_decided_round_id_negotiation_round",
            "negotiation_round",
            ["decided_round_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _fill()


def _fill() -> None:
    """Each decision already taken, in the round held on its day, else the last round begun by
    then, else the round its amendment was tabled for (as the application decides it now)."""
    rounds = sa.table(
        "negotiation_round",
        sa.column("id", sa.Integer()),
        sa.column("draft_id", sa.Integer()),
        sa.column("start_date", sa.Date()),
        sa.column("end_date", sa.Date()),
    )
    amendment = sa.table(
        "amendment",
        sa.column("id", sa.Integer()),
        sa.column("draft_id", sa.Integer()),
        sa.column("round_id", sa.Integer()),
        sa.column("decided_at", stocktake.core.db.UTCDateTime(timezone=True)),
        sa.column("decided_round_id", sa.Integer()),
    )
    connection = op.get_bind()
    by_draft: dict[int, list[tuple[int, dt.date, dt.date]]] = {}
    query = sa.select(rounds.c.id, rounds.c.draft_id, rounds.c.start_date, rounds.c.end_date)
    for row in connection.execute(query.order_by(rounds.c.start_date, rounds.c.id)):
        by_draft.setdefault(row.draft_id, []).append((row.id, row.start_date, row.end_date))
    decided = sa.select(
        amendment.c.id, amendment.c.draft_id, amendment.c.round_id, amendment.c.decided_at
    ).where(amendment.c.decided_at.is_not(None))
    for row in list(connection.execute(decided)):
        day = row.decided_at.date()
        held = by_draft.get(row.draft_id, [])
        during = [i for i, start, end in held if start <= day <= end]
        begun = [i for i, start, _ in held if start <= day]
        chosen = (during or begun or [row.round_id])[-1]
        if chosen is not None:
            connection.execute(
                amendment.update().where(amendment.c.id == row.id).values(decided_round_id=chosen)
            )


def downgrade() -> None:
    with op.batch_alter_table("amendment") as batch:
        batch.drop_constraint("fk_amendment_decided_round_id_negotiation_round", type_="foreignkey")
        batch.drop_index("ix_amendment_decided_round_id")
        batch.drop_column("decided_round_id")
