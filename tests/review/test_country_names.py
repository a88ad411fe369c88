"""A country's name set into a sentence reads well whatever the name: French says "les Philippines",
"le Mexique", Russian declines "Мексика", so the sentences that take a name put it where it needs no
article, preposition or case ("Télécharger les observations — Philippines (CSV)")."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.review.services.indicators import import_opensdg
from stocktake.review.services.report import build_cycle_report, cycle_report_docx, narrative_of
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.factories.frameworks import sdg
from tests.factories.review import cycle, frame

SYSTEM = Principal.system()


def _country(folder: Path, name: str) -> Path:
    """An Open SDG folder for one country: remittance costs over five years."""
    (folder / "data").mkdir(parents=True)
    (folder / "meta").mkdir()
    (folder / "data" / "indicator_10-c-1.csv").write_text(
        "Year,Units,Value\n2015,Percentage (%),5\n2020,Percentage (%),4\n"
    )
    (folder / "meta" / "10-c-1.md").write_text(
        f"---\nindicator_number: 10.c.1\nnational_geographical_coverage: {name}\n---\n"
    )
    return folder


@pytest.fixture
def countries(bare_session: Session, tmp_path: Path) -> None:
    sdg(bare_session)
    frame(bare_session)
    for name in ("Philippines", "Mexico"):
        import_opensdg(bare_session, _country(tmp_path / name, name), by=SYSTEM)


def _page(client: TestClient, language: str, path: str, **params: str) -> str:
    client.cookies.set(LANGUAGE_COOKIE, language)
    page = client.get(path, params=params)
    assert page.status_code == 200
    return page.text


@pytest.mark.usefixtures("countries")
def test_the_download_of_a_countrys_observations_needs_no_article_or_case(
    bare_client: TestClient,
) -> None:
    philippines = _page(bare_client, "fr", "/review/indicators", country="PHL")
    assert ">Télécharger les observations — Philippines (CSV)</a>" in philippines
    assert "de Philippines" not in philippines
    assert '<option value="PHL" selected>Philippines</option>' in philippines
    mexico = _page(bare_client, "fr", "/review/indicators", country="MEX")
    assert ">Télécharger les observations — Mexique (CSV)</a>" in mexico
    assert "de Mexique" not in mexico
    russian = _page(bare_client, "ru", "/review/indicators", country="MEX")
    assert ">Скачать наблюдения (CSV): Мексика</a>" in russian
    assert "по Мексика" not in russian
    overview = _page(bare_client, "fr", "/review", country="PHL")
    assert "Indicateurs par état d'avancement : Philippines</h2>" in overview


@pytest.mark.usefixtures("countries")
def test_a_national_review_names_its_country_without_a_preposition(
    bare_client: TestClient, bare_session: Session
) -> None:
    mexico = cycle(bare_session, slug="mexico-2026", scope="national", region="Mexico")
    french = _page(bare_client, "fr", "/review/cycles/mexico-2026")
    assert "À partir des données publiées (uniquement : Mexique)." in french
    assert "pour Mexique" not in french
    assert "(Mexique)." in french.split("Pas de données sur ", 1)[1].split("</p>", 1)[0]
    russian = _page(bare_client, "ru", "/review/cycles/mexico-2026")
    assert "По опубликованным данным (только: Мексика)." in russian
    assert "по Мексика" not in russian
    report = build_cycle_report(bare_session, get_process(bare_session), mexico)
    paper = Document(
        io.BytesIO(cycle_report_docx(report, narrative_of(mexico, report.figures, "fr"), "fr"))
    )
    text = "\n".join(p.text for p in paper.paragraphs)
    assert "(Mexique)" in text
    assert "de Mexique" not in text
    assert "pour Mexique" not in text
