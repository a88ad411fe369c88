"""What the consultation's services say is wrong, in the reader's language: the card form, a
registration, a meeting's edit form, the actor form, moderation and the import page; the API by
`Accept-Language`; a command by `STOCKTAKE_LANGUAGE`. Where the problem is (a field, a row) and the
values quoted stay as given."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of, sign_in

MEETING = "/meetings/puerto-vallarta-2017"

FSI, PDI = "\u2068", "\u2069"  # first strong isolate, pop directional isolate


def _in(client: TestClient, language: str) -> TestClient:
    client.cookies.set(LANGUAGE_COOKIE, language)
    return client


def test_the_card_form_refused_in_french_names_each_problem_in_french(
    client: TestClient,
) -> None:
    sign_in(client, "mexico@gcm.example")
    refused = _in(client, "fr").post(
        "/inputs/new",
        data={
            "csrf": csrf_of(client, "/inputs/new"),
            "text": "   ",
            "meeting": "atlantis-2099",
            "dimensions": ["no-such-dimension"],
            "references": "not-a-goal",
        },
    )
    assert refused.status_code == 422
    page = refused.text
    for said in (
        "<li>text : est vide</li>",
        "<li>meeting : réunion inconnue &#39;atlantis-2099&#39;</li>",
        "<li>dimensions : dimension inconnue &#39;no-such-dimension&#39;</li>",
        "<li>references : &#39;not-a-goal&#39; n&#39;est ni un objectif, une cible ou un "
        "indicateur des ODD, ni un instrument connu</li>",
    ):
        assert said in page, said
    assert "is empty" not in page
    # the same form in English says what it always said
    english = _in(client, "en").post(
        "/inputs/new", data={"csrf": csrf_of(client, "/inputs/new"), "text": ""}
    )
    assert "<li>text: is empty</li>" in english.text


def test_a_registration_refused_in_spanish_and_a_duplicate_in_chinese(
    client: TestClient,
) -> None:
    sign_in(client, "mexico@gcm.example")
    target = f"{MEETING}/registrations"
    empty = _in(client, "es").post(target, data={"csrf": csrf_of(client, target), "name": " "})
    assert empty.status_code == 422
    assert "<li>name: está vacío</li>" in empty.text
    data = {"csrf": csrf_of(client, target), "name": "Ana Ejemplo", "function": "Delegate"}
    assert client.post(target, data=data).status_code == 200  # registered, then the list
    again = _in(client, "zh").post(target, data=data)
    assert again.status_code == 409
    assert re.search(r"<li>Ana Ejemplo 已登记为 .+ 出席本次会议的与会者</li>", again.text)


def test_a_meetings_edit_form_refused_in_russian(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    form = f"{MEETING}/edit"
    refused = _in(client, "ru").post(
        form,
        data={
            "csrf": csrf_of(client, form),
            "title": "Puerto Vallarta",
            "meeting_type": "stocktaking",
            "start_date": "soon",
            "end_date": "2017-12-06",
            "country_iso3": "MX",
        },
    )
    assert refused.status_code == 422
    assert "<li>start_date: &#39;soon&#39; не является датой (ГГГГ-ММ-ДД)</li>" in refused.text
    backwards = _in(client, "ru").post(
        form,
        data={
            "csrf": csrf_of(client, form),
            "title": "Puerto Vallarta",
            "meeting_type": "no-such-type",
            "start_date": "2017-12-06",
            "end_date": "2017-12-04",
            "country_iso3": "MX",
        },
    )
    assert backwards.status_code == 422
    for said in (
        "<li>end_date: заканчивается раньше, чем начинается</li>",
        "<li>meeting_type: неизвестный вид совещания &#39;no-such-type&#39;</li>",
        "<li>country_iso3: состоит из трёх букв (ISO 3166-1 alpha-3)</li>",
    ):
        assert said in backwards.text, said


def test_the_actor_form_and_a_duplicate_code_in_arabic(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    refused = _in(client, "ar").post(
        "/actors/new",
        data={
            "csrf": csrf_of(client, "/actors/new"),
            "code": "TEST-AR-1",
            "name": "",
            "kind": "stakeholder",
            "category": "",
            "country": "Narnia",
        },
    )
    assert refused.status_code == 422
    # in a right-to-left page, where it is and the values quoted are isolated (FSI … PDI), so
    # that "'Narnia'" keeps its quotation marks around it inside the Arabic sentence
    for said in (
        f"<li>{FSI}actor{PDI}، الحقل {FSI}name{PDI}: فارغ</li>",
        f"<li>{FSI}actor{PDI}، الحقل {FSI}category{PDI}: يجب أن تكون لصاحب المصلحة فئة</li>",
        f"<li>{FSI}actor{PDI}، الحقل {FSI}country{PDI}: بلد غير معروف {FSI}&#39;Narnia&#39;{PDI}</li>",
    ):
        assert said in refused.text, said
    taken = _in(client, "ar").post(
        "/actors/new",
        data={"csrf": csrf_of(client, "/actors/new"), "code": "MEX", "name": "Mexico again"},
    )
    assert taken.status_code == 409
    assert f"<li>توجد بالفعل جهة فاعلة بالرمز {FSI}&#39;MEX&#39;{PDI}</li>" in taken.text


def test_moderation_that_changes_nothing_says_why_in_french(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    done = _in(client, "fr").post(
        "/inputs/queue",
        data={"csrf": csrf_of(client, "/inputs/queue"), "action": "withdraw", "ids": []},
    )
    assert "inputs : choisissez au moins une contribution" in done.text
    assert "reason : un retrait doit être motivé" in done.text


def test_the_import_page_shows_each_refused_row_in_arabic(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    bad = b"submitter,text,language\nMEX,A good row,xx-nowhere\nNarnia,Bad submitter,\n"
    response = _in(client, "ar").post(
        "/inputs/import",
        data={"csrf": csrf_of(client, "/inputs/import")},
        files={"file": ("bad.csv", bad, "text/csv")},
    )
    assert response.status_code == 200  # the page of the import's job, which refused the rows
    for row in (
        f"<td>الصف {FSI}2{PDI}، الحقل {FSI}language{PDI}</td>"
        f"<td>رمز لغة غير معروف {FSI}&#39;xx-nowhere&#39;{PDI}</td>",
        f"<td>الصف {FSI}3{PDI}، الحقل {FSI}submitter{PDI}</td>"
        f"<td>{FSI}&#39;Narnia&#39;{PDI} غير مدرج في السجل</td>",
    ):
        assert row in response.text, row
    header = _in(client, "ar").post(
        "/inputs/import",
        data={"csrf": csrf_of(client, "/inputs/import")},
        files={"file": ("odd.csv", b"text,colour\nA row,blue\n", "text/csv")},
    )
    assert (
        f"<td>سطر العناوين</td><td>العمود الإلزامي {FSI}&#39;submitter&#39;{PDI} مفقود</td>"
        in header.text
    )


def test_the_api_answers_in_the_language_asked(client: TestClient) -> None:
    refused = client.get(
        "/api/v1/inputs", params={"dimension": "nowhere"}, headers={"Accept-Language": "fr"}
    )
    assert refused.status_code == 422
    problem = refused.json()["problems"][0]
    assert problem["where"] == "dimension"
    assert problem["message"].startswith("valeur inconnue 'nowhere' ; valeurs admises : ")
    missing = client.get("/api/v1/actors/NO-SUCH-ACTOR", headers={"Accept-Language": "es"})
    assert missing.status_code == 404
    assert missing.json()["detail"] == "actor 'NO-SUCH-ACTOR': no existe"
    meeting = client.get("/api/v1/meetings/no-such-meeting", headers={"Accept-Language": "zh"})
    assert meeting.status_code == 404
    assert meeting.json()["detail"] == "会议 'no-such-meeting' 不存在"
    english = client.get("/api/v1/actors/NO-SUCH-ACTOR")
    assert english.json()["detail"] == "actor 'NO-SUCH-ACTOR' does not exist"


def test_a_commands_refusal_is_in_its_language(cli_db: str, tmp_path: Path) -> None:
    bad = tmp_path / "inputs.csv"
    bad.write_text("submitter,text\nNarnia,Protect wages.\nMEX,\n", encoding="utf-8")
    env = {"STOCKTAKE_DATABASE_URL": cli_db, "STOCKTAKE_LANGUAGE": "fr"}
    result = CliRunner().invoke(app, ["inputs", "import", str(bad)], env=env)
    assert result.exit_code == 1
    assert "ligne 2, champ submitter : 'Narnia' ne figure pas dans le registre" in result.output
    assert "ligne 3, champ text : est vide" in result.output
    env["STOCKTAKE_LANGUAGE"] = "ru"
    result = CliRunner().invoke(app, ["meetings", "stats", "no-such-meeting"], env=env)
    assert result.exit_code == 1
    assert "совещание 'no-such-meeting': не найдено" in result.output
