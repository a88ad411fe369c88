"""The consultation's pages in the reader's language: inputs and the moderation queue, the registry
of actors, meetings and their registrations; headings, buttons, flashes, dates and numbers."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.consultation.models import Input
from stocktake.meetings.services import get_meeting
from stocktake.web.languages import LANGUAGE_COOKIE, format_day, format_days
from tests.conftest import csrf_of, sign_in

MEETING = "/meetings/puerto-vallarta-2017"


def _in(client: TestClient, language: str) -> TestClient:
    client.cookies.set(LANGUAGE_COOKIE, language)
    return client


def _first_waiting(client: TestClient) -> int:
    match = re.search(r'id="pick-(\d+)"', client.get("/inputs/queue").text)
    assert match
    return int(match.group(1))


def test_the_inputs_and_the_queue_in_french(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    _in(client, "fr")
    inputs = client.get("/inputs").text
    assert '<html lang="fr" dir="ltr">' in inputs
    for text in (
        "<h1>Contributions</h1>",
        ">Soumettre une contribution</a>",
        ">File de modération</a>",
        'aria-label="Rechercher et filtrer les contributions"',
        'placeholder="mots dans n\'importe quelle langue"',
        '<option value="draft" >brouillon</option>',  # a stored status, shown in French
        '<option value="fr" >français</option>',  # a language, named in French
        "Dimension humaine",  # the definition's French name
    ):
        assert text in inputs, text
    queue = client.get("/inputs/queue").text
    for text in (
        "<h1>File de modération</h1>",
        "<strong>251</strong> soumises, en attente de publication",
        "251 contributions soumises, page 1 sur 6.",
        '<option value="oldest" >Les plus anciennes d&#39;abord</option>',
        "<legend>Avec les contributions cochées</legend>",
        ">Ajouter ces étiquettes aux contributions cochées</button>",
    ):
        assert text in queue, text
    first = _first_waiting(client)
    done = client.post(
        "/inputs/queue",
        data={"csrf": csrf_of(client, "/inputs/queue"), "action": "publish", "ids": [first]},
    )
    assert "1 contribution publiée." in done.text
    assert "250 contributions soumises, page 1 sur 5." in done.text


def test_the_queue_and_an_input_in_arabic(client: TestClient, session: Session) -> None:
    sign_in(client, "secretariat@gcm.example")
    _in(client, "ar")
    queue = client.get("/inputs/queue").text
    assert '<html lang="ar" dir="rtl">' in queue
    assert "<h1>قائمة انتظار الإشراف</h1>" in queue
    assert '<option value="submitted" selected>مقدَّمة</option>' in queue
    first = _first_waiting(client)
    page = client.get(f"/inputs/{first}").text
    record = session.get(Input, first)
    assert record is not None
    assert record.submitted_at is not None
    for text in (
        "<dt>مقدَّمة من</dt>",
        ">نشر والانتقال إلى التالية</button>",
        '<h2 id="wd-h">سحب</h2>',
        format_day(record.submitted_at, "ar"),  # the day as Arabic writes it
        "بالتوقيت العالمي المنسق",
    ):
        assert text in page, text
    withdrawn = client.post(
        "/inputs/queue",
        data={
            "csrf": csrf_of(client, "/inputs/queue"),
            "action": "withdraw",
            "ids": [first],
            "reason": "مكررة",
        },
    )
    assert "سُحبت 1 مساهمة." in withdrawn.text


def test_an_input_in_spanish_as_its_author(client: TestClient, session: Session) -> None:
    sign_in(client, "stakeholder@gcm.example")
    _in(client, "es")
    form = client.get("/inputs/new").text
    for text in (
        "<h1>Presentar una aportación</h1>",
        ">Ficha de recomendación</option>",
        ">Borrador (aún no enviado)</option>",
    ):
        assert text in form, text
    saved = client.post(
        "/inputs/new",
        data={
            "csrf": csrf_of(client, "/inputs/new"),
            "text": "Ampliar las vías regulares de migración laboral.",
            "status": "draft",
        },
    )
    assert (
        "Borrador guardado: solo usted y la secretaría lo ven hasta que lo presente." in saved.text
    )
    assert '<h2 id="own-h">Su borrador</h2>' in saved.text
    assert '<span class="badge status-draft">borrador</span>' in saved.text


def test_a_meeting_and_its_registrations(client: TestClient, session: Session) -> None:
    sign_in(client, "secretariat@gcm.example")
    meeting = get_meeting(session, "puerto-vallarta-2017")
    page = _in(client, "fr").get(MEETING).text
    for text in (
        '<h2 id="fig-h">Participation</h2>',
        "<strong>136</strong> délégations",
        "929 personnes étaient inscrites.",
        "<figcaption>Participants par région</figcaption>",
        "<title>Participants par région</title>",  # the chart's own title
        ">Afrique</text>",  # a region, in the chart
        "<caption>Par groupe régional</caption>",
        f">{format_days(meeting.start_date, meeting.end_date, 'fr')}</time>",  # 4–6 déc. 2017
        "929 inscriptions : rechercher, inscrire, enregistrer la présence",
    ):
        assert text in page, text
    listing = _in(client, "ru").get(f"{MEETING}/registrations").text
    assert "929 регистраций, страница 1 из 19; сначала новые." in listing
    assert ">Зарегистрировать участника</button>" in listing
    match = re.search(r'registrations/(\d+)/attendance"', listing)
    assert match
    target = f"{MEETING}/registrations/{match.group(1)}/attendance"
    csrf = csrf_of(client, f"{MEETING}/registrations")
    yes = _in(client, "zh").post(target, data={"csrf": csrf, "attended": "yes"})
    assert "出席情况已记录。" in yes.text
    no = _in(client, "fr").post(target, data={"csrf": csrf, "attended": "no"})
    assert "Marqué comme absent." in no.text


def test_the_registry_of_actors(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    actors = _in(client, "zh").get("/actors").text
    for text in ("<h1>行为体</h1>", "559 个行为体", "<td>非洲国家</td>", "<td>非洲</td>"):
        assert text in actors, text
    mexico = _in(client, "es").get("/actors/MEX").text
    for text in (
        "<dt>Grupo regional</dt><dd>Estados de América Latina y el Caribe</dd>",
        "<h2>Reuniones a las que asistió</h2>",
        "24–25 jul 2017",  # a meeting's days as Spanish writes them
    ):
        assert text in mexico, text
    added = _in(client, "fr").post(
        "/actors/new",
        data={
            "csrf": csrf_of(client, "/actors/new"),
            "code": "TEST-ORG-FR",
            "name": "Réseau de test",
            "kind": "stakeholder",
            "category": "civil_society",
            "country": "FRA",
        },
    )
    assert "Ajout au registre : Réseau de test (TEST-ORG-FR)." in added.text
    assert "<dt>Catégorie de parties prenantes</dt>" in added.text
