"""The analysis and the Chair's summary pages in the reader's language: headings, buttons and
tables from the catalogs, flashes translated on the next page, dates and numbers as the language
writes them; the summary's own text stays in the language it was written in."""

from __future__ import annotations

from babel.dates import format_date
from babel.numbers import format_decimal
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisRun
from stocktake.analysis.services import clusters_of, latest_run
from stocktake.process.services import get_process
from stocktake.summary.models import Summary
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of, sign_in

NBSP = "\u00a0"  # French keeps a no-break space before a colon and inside quotation marks


def _flash(html: str) -> str:
    start = html.index('class="flash')
    return html[start : html.index("</div>", start)]


def _run(session: Session) -> AnalysisRun:
    run = latest_run(session, get_process(session))
    assert run is not None
    assert run.finished_at is not None
    return run


def _summary(session: Session) -> Summary:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    return summary


def _in(client: TestClient, language: str) -> TestClient:
    client.cookies.set(LANGUAGE_COOKIE, language)
    return client


def test_the_analysis_dashboard_and_run_in_french(client: TestClient, session: Session) -> None:
    run = _run(session)
    sign_in(client, "secretariat@gcm.example")
    page = _in(client, "fr").get("/analysis").text
    inputs = format_decimal(run.stats["inputs"], locale="fr")
    for text in (
        '<html lang="fr" dir="ltr">',
        "<h1>Analyse</h1>",
        "Lancer une nouvelle exécution",
        f"Dernière exécution{NBSP}: {run.id}, {format_date(run.finished_at, 'medium', locale='fr')}",
        f"<strong>{inputs}</strong> contributions",  # 1 936, as French groups digits
        "<h3>Les plus grands regroupements</h3>",
        '<th scope="col">Type de contribution</th>',
        f"Divergence{NBSP}:",
        "Qui s'y range",
        f"État Membre{NBSP}: ",  # the actor kind's French name from the process definition
        f"Afrique{NBSP}: ",  # an M49 region
        '<h2 id="runs-h">Exécutions</h2>',
        ">achevée</span>",  # the run's status: an "exécution", feminine (a pledge is "achevé")
    ):
        assert text in page, text
    for english in ("Start a new run", "Largest clusters", "Latest run", ">completed<"):
        assert english not in page, english
    detail = client.get(f"/analysis/runs/{run.id}").text
    for text in (
        f"<h1>Exécution de l'analyse {run.id}</h1>",
        "<dt>Durée par étape</dt>",
        f"recherche des doublons{NBSP}: ",  # a stage's name and its seconds, 0,682 s
        f"Le Résumé du Président</a>{NBSP}: rédiger un résumé",
    ):
        assert text in detail, text


def test_the_clusters_and_the_review_queue_in_arabic(client: TestClient, session: Session) -> None:
    run = _run(session)
    cluster = clusters_of(session, run)[0]
    sign_in(client, "secretariat@gcm.example")
    listing = _in(client, "ar").get("/analysis/clusters").text
    assert '<html lang="ar" dir="rtl">' in listing
    for text in (
        f"<h1>مجموعات التشغيل {run.id}</h1>",
        "البحث في التسميات",
        "دمج المجموعات المحددة",
        "الأكبر أولًا.",
        "البُعد الإنساني",  # a dimension's Arabic name from the process definition
    ):
        assert text in listing, text
    page = client.get(f"/analysis/clusters/{cluster.number}").text
    for text in ("حسب المنطقة: ", "أفريقيا: ", "، ", "حسب المجموعة الإقليمية", "إعادة التسمية"):
        assert text in page, text
    assert "By region" not in page
    queue = client.get("/analysis/review").text
    assert "<h1>قائمة المراجعة</h1>" in queue
    assert "تأكيد هذه الوسوم" in queue
    summary = _summary(session)
    page = client.get(f"/summary/{summary.id}").text
    assert "تحرير هذا القسم" in page  # edit this section
    # the summary's English text reads left to right inside the right-to-left page
    assert f'<article class="summary" lang="{summary.language}" dir="ltr">' in page


def test_the_summary_pages_in_french_and_spanish(client: TestClient, session: Session) -> None:
    summary = _summary(session)
    sign_in(client, "secretariat@gcm.example")
    listing = _in(client, "fr").get("/summary").text
    for text in (
        "<h1>Résumé du Président</h1>",
        f"Rédiger un nouveau résumé à partir de l'exécution {summary.run_id}",
        f"{format_date(summary.current.created_at, 'medium', locale='fr')}",
        '<option value="fr" lang="fr" dir="ltr">Français</option>',  # each language named in itself
    ):
        assert text in listing, text
    page = client.get(f"/summary/{summary.id}").text
    for text in (
        "Modifier cette section",
        '<h2 id="versions-h">Versions</h2>',
        f"Aucune version n'est encore publiée{NBSP}: seul le secrétariat peut lire ce résumé.",
        "Publier la version",
        f'<article class="summary" lang="{summary.language}" dir="ltr">',  # its own language
    ):
        assert text in page, text
    editor = client.get(f"/summary/{summary.id}/edit").text
    assert "Enregistrer comme nouvelle version" in editor
    assert "Modifier l'ensemble du résumé" in editor
    client.post("/logout", data={"csrf": csrf_of(client, "/")})
    public = _in(client, "es").get("/summary").text
    assert "Todavía no se ha publicado ningún resumen." in public


def test_the_flashes_of_the_analysis_are_translated(client: TestClient, session: Session) -> None:
    clusters = clusters_of(session, _run(session))
    sign_in(client, "secretariat@gcm.example")
    csrf = csrf_of(client, "/analysis/clusters")
    renamed = _in(client, "fr").post(
        f"/analysis/clusters/{clusters[0].number}/rename",
        data={"csrf": csrf, "label": "Sécurité sociale portable"},
    )
    assert f"Regroupement renommé «{NBSP}Sécurité sociale portable{NBSP}»." in _flash(renamed.text)
    merged = _in(client, "ru").post(
        "/analysis/clusters/merge",
        data={"csrf": csrf, "numbers": [clusters[1].number, clusters[2].number], "label": "Вместе"},
    )
    assert "2 кластера объединены в «Вместе»." in _flash(merged.text)  # the "few" form


def test_the_flashes_of_the_summary_are_translated(client: TestClient, session: Session) -> None:
    summary = _summary(session)
    sign_in(client, "secretariat@gcm.example")
    csrf = csrf_of(client, f"/summary/{summary.id}/edit")
    text = summary.current.markdown
    unchanged = _in(client, "es").post(
        f"/summary/{summary.id}/edit", data={"csrf": csrf, "markdown": text}
    )
    assert "No hubo cambios: no se guardó ninguna versión nueva." in _flash(unchanged.text)
    saved = _in(client, "ar").post(
        f"/summary/{summary.id}/edit", data={"csrf": csrf, "markdown": text + "\nالختام.\n"}
    )
    assert "حُفظت النسخة 2." in _flash(saved.text)
    refused = _in(client, "fr").post(
        f"/summary/{summary.id}/publish", data={"csrf": csrf, "version": 2}
    )
    assert f"La version 2 n&#39;a pas été publiée{NBSP}: " in _flash(refused.text)
    published = _in(client, "zh").post(
        f"/summary/{summary.id}/publish", data={"csrf": csrf, "version": 2, "confirm": "true"}
    )
    assert "第 2 版已发布：公众现在阅读的是该版本。" in _flash(published.text)
    assert "已发布" in published.text  # the version's badge
