"""registry: the regional groups' short names delegations call them by

Databases whose registry was loaded before the regional groups bore the names delegations call them
by kept the groups' long label as short name, so papers and pages named an amendment's sponsor
"Latin American and Caribbean States" where the room says GRULAC. Each of the three groups known by
an acronym gets it, only where its short name is still the old label: a name the secretariat chose
is left as it is.

Revision ID: 9e4b1c7d2a55
Revises: 42826624be72
Create Date: 2026-12-07 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9e4b1c7d2a55"
down_revision: str | None = "42826624be72"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# code: (the short name the registry gave before, the one delegations call the group by)
SHORT_NAMES = {
    "RG-EEG": ("Eastern European States", "EEG"),
    "RG-GRULAC": ("Latin American and Caribbean States", "GRULAC"),
    "RG-WEOG": ("Western European and other States", "WEOG"),
}

_RENAME = sa.text(
    "UPDATE actor SET short_name = :new, updated_at = CURRENT_TIMESTAMP "
    "WHERE code = :code AND short_name = :old"
)


def upgrade() -> None:
    for code, (old, new) in SHORT_NAMES.items():
        op.execute(_RENAME.bindparams(code=code, old=old, new=new))


def downgrade() -> None:
    for code, (old, new) in SHORT_NAMES.items():
        op.execute(_RENAME.bindparams(code=code, old=new, new=old))
