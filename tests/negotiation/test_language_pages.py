"""Language versions over HTTP: the secretariat adds one on the draft page, everyone who reads the
revision sees it beside the original and exports it; bad files are refused naming the place."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.permissions import Role
from stocktake.negotiation.models import Draft, LanguageVersion
from stocktake.negotiation.services import issue_revision
from tests.conftest import csrf_of
from tests.factories.accounts import account, signed_in
from tests.negotiation.conftest import SYSTEM
from tests.negotiation.test_languages import ARABIC, FRENCH


def _post(client: TestClient, draft: Draft, text: str, **form: str) -> object:
    data = {"csrf": csrf_of(client, f"/drafts/{draft.id}"), "revision": "0", **form}
    return client.post(
        f"/drafts/{draft.id}/languages",
        data=data,
        files={"file": ("version.md", text.encode(), "text/markdown")},
        follow_redirects=False,
    )


def test_the_secretariat_adds_a_version_and_the_page_shows_it_beside_the_original(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    added = _post(bare_client, bare_draft, FRENCH, language="fr")
    assert added.status_code == 303
    assert added.headers["location"] == f"/drafts/{bare_draft.id}?revision=0&language=fr"
    page = bare_client.get(added.headers["location"]).text
    assert "French version of Zero draft added (edition 1, 11 elements aligned)" in page
    assert 'class="languages-beside"' in page
    assert '<option value="fr" selected>French (fr)</option>' in page
    french = re.search(
        r'<div class="lang-col el el-paragraph" role="cell" lang="fr" dir="ltr">(.*?)</div>', page
    )
    assert french is not None
    assert "Le présent pacte énonce" in french.group(1)
    assert (
        'role="cell" lang="en" dir="ltr"><span class="num">1.</span>This compact sets out' in page
    )
    assert "/export?format=docx&amp;revision=0&amp;language=fr" in page
    again = _post(bare_client, bare_draft, FRENCH, language="fr")
    assert again.status_code == 409
    assert "exists already" in again.text
    replaced = _post(bare_client, bare_draft, FRENCH, language="fr", replace="true")
    assert replaced.status_code == 303
    assert "edition 2" in bare_client.get(replaced.headers["location"]).text
    revisions = bare_client.get(f"/drafts/{bare_draft.id}/revisions").text
    assert f'href="/drafts/{bare_draft.id}?revision=0&amp;language=fr">French</a>' in revisions


def test_arabic_reads_right_to_left_on_the_page_and_in_the_files(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    assert _post(bare_client, bare_draft, ARABIC, language="ar").status_code == 303
    page = bare_client.get(f"/drafts/{bare_draft.id}?revision=0&language=ar").text
    assert 'role="cell" lang="ar" dir="rtl"' in page
    assert 'role="columnheader" lang="ar" dir="rtl">ميثاق للتعاون</h2>' in page
    docx = bare_client.get(f"/drafts/{bare_draft.id}/export?format=docx&revision=0&language=ar")
    assert docx.status_code == 200
    assert 'filename="draft-' in docx.headers["content-disposition"]
    assert "-ar.docx" in docx.headers["content-disposition"]
    akn = bare_client.get(f"/drafts/{bare_draft.id}/export?format=akn&revision=0&language=ar")
    assert 'xml:lang="ar"' in akn.text
    assert 'language="ara"' in akn.text


def test_bad_versions_are_refused_naming_what_and_where_and_nothing_changes(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    missing = FRENCH.replace("(b) coopération internationale ;\n", "")
    refused = _post(bare_client, bare_draft, missing, language="fr")
    assert refused.status_code == 422
    assert "element 8" in refused.text
    assert "Zero draft has point (b)" in refused.text
    unoffered = _post(bare_client, bare_draft, FRENCH, language="de")
    assert unoffered.status_code == 422
    assert "does not offer" in unoffered.text
    unknown = _post(bare_client, bare_draft, FRENCH, language="fr", revision="9")
    assert unknown.status_code == 404
    assert "revision 9" in unknown.text
    assert bare_session.scalar(select(LanguageVersion.id)) is None
    page = bare_client.get(f"/drafts/{bare_draft.id}?revision=0&language=ru")
    assert page.status_code == 404
    assert "Zero draft has no Russian version" in page.text
    export = bare_client.get(f"/drafts/{bare_draft.id}/export?format=md&revision=0&language=xx")
    assert export.status_code == 422
    assert "does not offer &#39;xx&#39;" in export.text or "does not offer 'xx'" in export.text


def test_a_delegation_may_not_add_a_version_but_reads_it(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    signed_in(bare_client, account(bare_session, Role.DELEGATION_MEMBER, actor_code="MEX"))
    page = bare_client.get(f"/drafts/{bare_draft.id}?revision=0").text
    assert "Add a language version" not in page
    assert _post(bare_client, bare_draft, FRENCH, language="fr").status_code == 403


def test_the_demo_rev1_reads_in_french_and_spanish_and_compares_per_language(
    client: TestClient, session: Session
) -> None:
    draft = session.scalar(select(Draft).where(Draft.source == "gcm-zero-draft.md"))
    assert draft is not None
    signed_in(client, account(session, Role.SECRETARIAT))
    page = client.get(f"/drafts/{draft.id}?revision=1&language=es").text
    assert "Pacto Mundial para la Migración Segura, Ordenada y Regular" in page
    assert "incluidos los trabajadores domésticos" in page
    french = client.get(f"/drafts/{draft.id}/export?format=md&revision=1&language=fr").text
    assert "Pacte mondial pour des migrations sûres, ordonnées et régulières" in french
    assert "## Objectif 20: Promouvoir des transferts de fonds" in french
    compare = client.get(f"/drafts/{draft.id}/compare?a=0&b=1&language=fr")
    assert compare.status_code == 404  # the zero draft has no French version
    assert "Zero draft has no French version" in compare.text


def test_two_revisions_compare_in_the_language_both_have(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    issue_revision(bare_session, bare_draft, note="the same text, translated anew", by=SYSTEM)
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    assert _post(bare_client, bare_draft, FRENCH, language="fr").status_code == 303
    revised = FRENCH.replace("une conception commune", "une vision commune")
    assert _post(bare_client, bare_draft, revised, language="fr", revision="1").status_code == 303
    page = bare_client.get(f"/drafts/{bare_draft.id}/compare?a=0&b=1&language=fr").text
    assert '<article class="draft-text comparison" lang="fr" dir="ltr">' in page
    assert " <del>conception</del> <ins>vision</ins> " in page
    assert "format=tracked&amp;language=fr" in page
    tracked = bare_client.get(f"/drafts/{bare_draft.id}/compare?a=0&b=1&language=fr&format=tracked")
    assert tracked.status_code == 200
    assert "-tracked-fr.docx" in tracked.headers["content-disposition"]
    english = bare_client.get(f"/drafts/{bare_draft.id}/compare?a=0&b=1").text
    assert "<del>conception" not in english
    assert "0 changed" in english  # the original did not change
