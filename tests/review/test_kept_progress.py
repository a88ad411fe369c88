"""Progress is computed once for the indicator data as stored and kept
(review/services/indicators/kept.py): an import that changes the data is what the next reading
shows, on the page and through the service, even when it replaces a country's observations with as
many others."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.review.services.indicators import assess_progress, import_opensdg

SYSTEM = Principal.system()


def _canada(folder: Path, first: int, last: int) -> Path:
    """Canada's remittance costs (10.c.1, to be lowered) from `first` in 2015 to `last` in 2020."""
    (folder / "data").mkdir(parents=True)
    (folder / "meta").mkdir()
    (folder / "data" / "indicator_10-c-1.csv").write_text(
        f"Year,Units,Value\n2015,Percentage (%),{first}\n2020,Percentage (%),{last}\n"
    )
    (folder / "meta" / "10-c-1.md").write_text(
        "---\nindicator_number: 10.c.1\nnational_geographical_coverage: Canada\n---\n"
    )
    return folder


def _canada_status(session: Session) -> str:
    (found,) = [r for r in assess_progress(session, countries=["CAN"]) if r.code == "10-c-1"]
    return found.status.value


def test_an_import_that_changes_the_data_is_read_at_once(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    import_opensdg(session, _canada(tmp_path / "rising", 5, 7), by=SYSTEM)
    session.commit()
    assert _canada_status(session) == "deterioration"
    assert "Deterioration" in client.get("/review/indicators?country=CAN").text
    # the same number of observations, other values
    import_opensdg(session, _canada(tmp_path / "falling", 7, 5), by=SYSTEM)
    session.commit()
    assert _canada_status(session) != "deterioration"
    assert "Deterioration" not in client.get("/review/indicators?country=CAN").text
