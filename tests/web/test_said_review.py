"""What the follow-up and review services say is wrong reaches each reader in their language: a
refused pledge, cycle, practice, capacity offer or narrative on its page, an API answer with
`Accept-Language`, and the import commands' refusals and skipped rows on the command line."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.accounts.models import User
from stocktake.accounts.services import issue_token, principal_for
from stocktake.cli import app
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.core.translation import LANGUAGES, Text, shown
from stocktake.frameworks.sdg import read_sdg_folder
from stocktake.process.services import get_process
from stocktake.review.opensdg import read_folder
from stocktake.review.selection import joined
from stocktake.review.services.frame import load_frame, read_frame_file
from stocktake.review.services.pledges import PledgeData, submit_pledge
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.conftest import csrf_of, sign_in
from tests.factories.review import frame

FORUM = "/review/cycles/imrf-2022-review"
TEXT = "Training for labour inspectors on fair recruitment, in every region. " * 6


def _in(client: TestClient, language: str) -> TestClient:
    client.cookies.set(LANGUAGE_COOKIE, language)
    return client


def _token(session: Session, email: str) -> dict[str, str]:
    found = session.scalar(select(User).where(User.email == email))
    assert found is not None
    return {"Authorization": f"Bearer {issue_token(session, found, by=principal_for(found))}"}


def test_a_refused_pledge_names_each_problem_in_french(client: TestClient) -> None:
    sign_in(client, "mexico@gcm.example")
    refused = _in(client, "fr").post(
        "/review/pledges/new",
        data={
            "csrf": csrf_of(client, "/review/pledges/new"),
            "title": " ",
            "description": "Trop court.",
            "kind": "moral",
            "level": "national",
            "objectives": ["99", "20"],
            "actions": "20(z), twenty",
            "start_year": "2030",
            "end_year": "2024",
            "amount": "10.005",
            "currency": "XYZ",
        },
    )
    assert refused.status_code == 422
    page = unescape(refused.text)
    assert "Non enregistré." in page  # the page's own words
    for said in (
        "title : est vide",
        # the numbers a message counts with are grouped as French groups them: 3 000
        "description : compte 11 caractères ; un engagement se décrit en 300 à 3\u202f000 caractères",
        "kind : 'moral' ne fait pas partie des valeurs admises : financial, human_resources, process, policy",
        "objectives : l'objectif 99 n'existe pas",
        "actions : 'twenty' n'est pas une mesure ; écrivez objectif(lettre), par ex. 20(b)",
        "end_year : le calendrier doit aller de l'avant, entre 1990 et 2100",
        "currency : 'XYZ' n'est pas un code de monnaie ISO 4217, par ex. USD, EUR",
        "amount : a plus de deux décimales",
    ):
        assert said in page, said
    assert "actions : le cadre n'énumère aucune mesure pour l'objectif 20" in page
    assert "is empty" not in page
    assert "does not exist" not in page
    # the form keeps what was typed
    assert 'value="XYZ"' in refused.text


def test_an_action_the_frame_does_not_hold_is_said_with_those_it_holds(
    bare_session: Session, tmp_path: Path
) -> None:
    frame(bare_session)
    process = get_process(bare_session)
    path = tmp_path / "frame.yml"
    path.write_text(
        "objectives:\n  - number: 20\n    title: Remittances\n    actions:\n"
        "      - {letter: a, text: Develop a road map}\n"
        "      - {letter: b, text: Develop an enabling regulatory environment}\n"
    )
    load_frame(bare_session, process, read_frame_file(path), by=Principal.system())
    data = PledgeData(
        actor="MEX",
        title="Inspectors trained",
        description=TEXT,
        kind="human_resources",
        level="national",
        objectives=[20],
        actions=["20(z)"],
        start_year=2024,
        end_year=2027,
    )
    with pytest.raises(ValidationFailed) as caught:
        submit_pledge(bare_session, process, data, by=Principal.system())
    message = caught.value.problems[0].message
    assert message == "action 20(z) does not exist; objective 20 has 20(a), 20(b)"
    assert (
        shown(message, "fr") == "la mesure 20(z) n'existe pas ; l'objectif 20 comprend 20(a), 20(b)"
    )
    assert shown(message, "ar") == "الإجراء 20(z) غير موجود؛ يتضمن الهدف 20 ما يلي: 20(a), 20(b)"


def test_a_refused_cycle_and_a_taken_slug_in_spanish(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    form = {
        "csrf": csrf_of(_in(client, "es"), "/review/cycles"),
        "slug": "no slug!",
        "title": "",
        "scope": "regional",
        "region": "Atlantis",
        "start_date": "2027-03-05",
        "end_date": "2027-03-01",
    }
    refused = client.post("/review/cycles", data=form)
    assert refused.status_code == 422
    page = unescape(refused.text)
    for said in (
        "region: 'Atlantis' no es una región del registro; una de las siguientes: Africa,",
        "end_date: termina antes de empezar",
        "title: está vacío",
        "slug: solo letras, cifras y guiones",
    ):
        assert said in page, said
    dates = client.post(
        "/review/cycles", data={**form, "start_date": "5 March", "end_date": "2027-13-01"}
    )
    assert "start_date: '5 March' no es una fecha (AAAA-MM-DD)" in unescape(dates.text)
    taken = client.post(
        "/review/cycles",
        data={
            **form,
            "slug": "imrf-2022-review",
            "title": "Otra vez",
            "region": "Africa",
            "end_date": "2027-03-06",
        },
    )
    assert taken.status_code == 409
    assert "ya existe un ciclo de examen 'imrf-2022-review'" in unescape(taken.text)


def test_a_practice_and_a_capacity_offer_refused_in_chinese_and_arabic(
    client: TestClient,
) -> None:
    sign_in(client, "philippines@gcm.example")
    practice = _in(client, "zh").post(
        "/review/practices",
        data={
            "csrf": csrf_of(client, "/review/practices"),
            "title": "T",
            "description": "too short",
            "objectives": ["40"],
        },
    )
    assert practice.status_code == 422
    page = unescape(practice.text)
    assert "description：有 9 个字符；应为 100 至 5,000 个" in page
    assert "objective：目标 40 不存在" in page
    offer = _in(client, "ar").post(
        "/review/capacity",
        data={
            "csrf": csrf_of(client, "/review/capacity"),
            "direction": "offer",
            "objective": "3",
            "kind": "money",
            "description": "Our statistics office shares its survey of returning migrant workers.",
        },
    )
    assert offer.status_code == 422
    # where it is and the value quoted isolated from the Arabic sentence's direction
    assert "\u2068kind\u2069: \u2068'money'\u2069 ليس من بين القيم المسموح بها: " in unescape(
        offer.text
    )


def test_the_narrative_refused_and_kept_from_replacement_in_russian(client: TestClient) -> None:
    sign_in(client, "secretariat@gcm.example")
    csrf = csrf_of(_in(client, "ru"), FORUM)
    empty = client.post(f"{FORUM}/narrative", data={"csrf": csrf, "text": "  "})
    assert empty.status_code == 422
    assert "text: не заполнено" in unescape(empty.text)
    kept = client.post(f"{FORUM}/narrative", data={"csrf": csrf, "text": "Our own wording."})
    assert kept.status_code == 200
    again = client.post(f"{FORUM}/narrative/generate", data={"csrf": csrf})
    assert again.status_code == 409
    page = unescape(again.text)
    assert "описательная часть была отредактирована " in page
    assert "при повторном формировании правка будет заменена" in page
    assert "the narrative was edited" not in page


def test_the_indicators_page_says_why_a_progress_is_not_assessed_in_french(
    client: TestClient,
) -> None:
    english = client.get("/review/indicators")
    assert "<td>no headline (total) observations</td>" in english.text
    french = _in(client, "fr").get("/review/indicators")
    assert "<td>aucune observation d&#39;ensemble (total)</td>" in french.text
    assert "no headline" not in french.text


def test_the_api_says_what_is_wrong_in_the_language_asked(
    client: TestClient, session: Session
) -> None:
    missing = client.get("/api/v1/review/pledges/999999", headers={"Accept-Language": "es"})
    assert missing.status_code == 404
    assert missing.json()["detail"] == "promesa 999999: no existe"
    headers = {**_token(session, "mexico@gcm.example"), "Accept-Language": "fr-CA, en;q=0.5"}
    body = {
        "title": "Remittance fees capped",
        "description": TEXT,
        "kind": "policy",
        "level": "national",
        "objectives": [99],
        "actions": [],
        "start_year": 2024,
        "end_year": 2026,
    }
    refused = client.post("/api/v1/review/pledges", json=body, headers=headers)
    assert refused.status_code == 422
    assert {"where": "objectives", "message": "l'objectif 99 n'existe pas"} in refused.json()[
        "problems"
    ]
    other = client.post("/api/v1/review/pledges", json={**body, "actor": "PHL"}, headers=headers)
    assert other.status_code == 403
    # the reason inside the refusal is translated with it
    assert other.json()["detail"].endswith(
        "(un acteur ne prend d'engagements et ne fait rapport qu'en son propre nom)"
    )
    english = client.post(
        "/api/v1/review/pledges", json=body, headers={**headers, "Accept-Language": "en"}
    )
    assert {"where": "objectives", "message": "objective 99 does not exist"} in english.json()[
        "problems"
    ]


def _folder(tmp_path: Path) -> Path:
    """An Open SDG folder with one good row and two that cannot be read."""
    (tmp_path / "data").mkdir(parents=True)
    (tmp_path / "meta").mkdir()
    (tmp_path / "data" / "indicator_10-1-1.csv").write_text(
        "Year,Value\n2020,1.5\nsomeday,3\n2021,twelve\n"
    )
    (tmp_path / "meta" / "10-1-1.md").write_text("---\nindicator_number: 10.1.1\n---\n")
    return tmp_path


def test_the_import_commands_refuse_and_skip_in_the_command_lines_language(
    cli_db: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": cli_db, "STOCKTAKE_LANGUAGE": "fr"}
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = runner.invoke(app, ["review", "import-opensdg", str(empty)], env=env)
    assert refused.exit_code == 1
    assert "n'a pas de dossier data/ ; un dossier de données Open SDG contient" in refused.output
    folder = _folder(tmp_path / "platform")
    strict = runner.invoke(
        app, ["review", "import-opensdg", str(folder), "--country", "NOR", "--strict"], env=env
    )
    assert strict.exit_code == 1
    assert "ligne 3, champ Year : 'someday' n'est pas une année" in strict.output
    nowhere = runner.invoke(
        app,
        ["review", "import-opensdg", str(folder), "--country", "Atlantis"],
        env={**env, "STOCKTAKE_LANGUAGE": "ru"},
    )
    assert "'Atlantis' не является страной из реестра (название или код ISO)" in nowhere.output
    skipped = runner.invoke(
        app,
        # not ISL: the commands' database is the whole session's, and another test counts ISL's
        ["review", "import-opensdg", str(folder), "--country", "NOR"],
        env={**env, "STOCKTAKE_LANGUAGE": "ar"},
    )
    assert skipped.exit_code == 0, skipped.output
    assert "data/indicator_10-1-1.csv الصف 3، الحقل Year: 'someday' ليس سنة" in skipped.output
    assert "data/indicator_10-1-1.csv الصف 4، الحقل Value: 'twelve' ليس عددًا" in skipped.output
    assert "حالة الإبلاغ: 1 مكتمل" in skipped.output  # Open SDG's status by its name, too
    sdmx = tmp_path / "not.xml"
    sdmx.write_text("<not-sdmx/>")
    said = runner.invoke(
        app, ["review", "import-sdmx", str(sdmx)], env={**env, "STOCKTAKE_LANGUAGE": "zh"}
    )
    assert said.exit_code == 1
    assert "not.xml：不是 SDMX-ML 数据（" in said.output
    assert "联合国可持续发展目标格式" in said.output  # the layout expected, named in Chinese too


def test_a_folder_that_is_not_open_sdg_is_said_in_each_language(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_folder(tmp_path)
    problem = caught.value.problems[0]
    assert problem.message == (
        "has no data/ folder; an Open SDG data folder holds data/indicator_<id>.csv and "
        "meta/<id>.md"
    )
    for language in LANGUAGES:
        assert "data/indicator_<id>.csv" in shown(problem.message, language)
    with pytest.raises(ValidationFailed) as framework:
        read_sdg_folder(tmp_path / "nowhere")
    assert shown(framework.value.problems[0].message, "es") == "no es una carpeta"
    assert shown(Text("%(value)r is not a number", value="x"), "zh") == "'x' 不是数字"
    notes = joined([Text("no observations"), "", Text("unit %(value)r", value="USD")])
    assert notes == "no observations; unit 'USD'"
    assert shown(notes, "fr") == "aucune observation ; l'unité 'USD'"
