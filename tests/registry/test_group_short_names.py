"""A database whose registry was loaded when the regional groups' short names were their long
labels gets the names delegations call them by when it is migrated; a short name the secretariat
chose is kept."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from stocktake.core.db import create_db_engine
from stocktake.core.migrate import upgrade
from tests.databases import scratch_url

BEFORE = "42826624be72"
"""The last revision before the groups' short names were set."""

OLD = {
    "RG-EEG": "Eastern European States",
    "RG-GRULAC": "Latin American and Caribbean States",
    "RG-WEOG": "Western Europe and Others",  # changed by the secretariat: kept
    "RG-AFRICAN": "African States",  # known by its label: kept
    "MEX": "",
}


def test_migrating_an_old_registry_gives_the_groups_their_short_names(
    backend: str, tmp_path: Path
) -> None:
    engine = create_db_engine(scratch_url("group_short_names", tmp_path, backend))
    try:
        upgrade(engine, BEFORE)
        with engine.begin() as connection:
            for code, short_name in OLD.items():
                connection.execute(
                    text(
                        "INSERT INTO actor (code, kind, name, short_name, description) "
                        "VALUES (:code, 'group_of_states', :name, :short_name, '')"
                    ),
                    {"code": code, "name": f"Group of {code}", "short_name": short_name},
                )
        upgrade(engine)
        with engine.connect() as connection:
            names = dict(connection.execute(text("SELECT code, short_name FROM actor")).all())
        assert names == {
            "RG-EEG": "EEG",
            "RG-GRULAC": "GRULAC",
            "RG-WEOG": "Western Europe and Others",
            "RG-AFRICAN": "African States",
            "MEX": "",
        }
    finally:
        engine.dispose()
