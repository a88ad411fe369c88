"""Amendments as Akoma Ntoso `amendment` documents and the compilation text as an Akoma Ntoso
document with its brackets and attributions: valid against the shared schema, pointing into the
working text by eId, their sponsors in the references; through the API, the pages and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.accounts.services import issue_token, principal_for
from stocktake.cli import app
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Role
from stocktake.negotiation.exports import (
    compilation_of,
    export_amendment,
    export_compilation,
    export_text,
)
from stocktake.negotiation.formats.akn import AKN as AKN_NS
from stocktake.negotiation.formats.akn import akn_eids
from stocktake.negotiation.formats.compilation import Bracket
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import list_amendments, working_nodes
from stocktake.process.services import get_process
from tests.factories.accounts import account, signed_in
from tests.negotiation.conftest import AKN, SAMPLE, SYSTEM, eid_of
from tests.negotiation.test_exports import amended

NS = {"a": AKN_NS}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(AKN / "akomantoso30.xsd")))


def _valid(schema: etree.XMLSchema, content: bytes, name: str) -> etree._Element:
    tree = etree.fromstring(content)
    assert schema.validate(tree), (name, schema.error_log)
    return tree


def _references(tree: etree._Element) -> set[str]:
    return {f"#{e}" for e in tree.xpath("//a:references/*/@eId", namespaces=NS)}


def test_every_amendment_is_a_valid_amendment_document_pointing_at_its_paragraph(
    bare_session: Session, bare_draft: Draft, schema: etree.XMLSchema
) -> None:
    amended(bare_session, bare_draft)
    nodes = working_nodes(bare_draft)
    eids = akn_eids(nodes)
    working = etree.fromstring(
        export_text(get_process(bare_session), bare_draft, None, "akn").content
    )
    amendments = list_amendments(bare_session, bare_draft)
    assert {a.kind for a in amendments} >= {
        "replace",
        "insert",
        "delete",
        "alternative",
        "add_paragraph",
        "delete_paragraph",
        "move_paragraph",
    }
    for amendment in amendments:
        export = export_amendment(bare_draft, amendment)
        assert export.name == f"draft-{bare_draft.id}-amendment-{amendment.number}.xml"
        tree = _valid(schema, export.content, export.name)
        assert tree.xpath("local-name(/a:akomaNtoso/*)", namespaces=NS) == "amendment"
        assert tree.xpath("//a:amendmentBody/a:amendmentContent", namespaces=NS)
        assert tree.xpath("//a:docNumber/text()", namespaces=NS) == [amendment.label]
        # the amended element by its eId in the working text, and its identity
        ref = tree.xpath("//a:amendmentReference//a:ref", namespaces=NS)[0]
        eid = eids[amendment.target_eid]
        assert ref.get("href").endswith(f"/!main~{eid}")
        assert ref.get("class") == amendment.target_eid
        assert working.xpath(f"//*[@eId='{eid}']/@wId", namespaces=NS) == [amendment.target_eid]
        # every sponsor an organisation of the references, each proponent and change refers to
        # them
        known = _references(tree)
        organisations = tree.xpath("//a:TLCOrganization/@showAs", namespaces=NS)
        proponents = tree.xpath("//a:docProponent", namespaces=NS)
        # each proponent by the name the papers give it, referring to its code's organisation
        assert [p.text for p in proponents] == amendment.sponsor_names
        assert [p.get("refersTo") for p in proponents] == [
            f"#{code.lower()}" for code in amendment.sponsors
        ]
        for element in tree.xpath("//a:docProponent | //a:ins | //a:del", namespaces=NS):
            assert set(element.get("refersTo").split()) <= known
        assert len(organisations) == len(amendment.sponsors) + 1  # and the secretariat
    first = export_amendment(bare_draft, amendments[0])
    tree = etree.fromstring(first.content)
    # A1: MEX replaces "common" with "shared", co-sponsored by PHL
    assert tree.xpath("//a:amendmentContent//a:del/text()", namespaces=NS) == ["common"]
    assert tree.xpath("//a:amendmentContent//a:ins/text()", namespaces=NS) == ["shared"]
    assert tree.xpath("//a:docProponent/@as", namespaces=NS) == ["#sponsor", "#co-sponsor"]
    assert tree.xpath("//a:ins/@refersTo", namespaces=NS) == ["#mex #phl"]
    with pytest.raises(ValidationFailed):
        export_amendment(bare_draft, amendments[0], "docx")


def test_the_compilation_text_is_a_valid_document_with_its_brackets_and_attributions(
    bare_session: Session, bare_draft: Draft, schema: etree.XMLSchema
) -> None:
    amended(bare_session, bare_draft)
    compilation = compilation_of(bare_session, get_process(bare_session), bare_draft, by=SYSTEM)
    export = export_compilation(compilation, bare_draft, "akn")
    assert export.name == f"draft-{bare_draft.id}-compilation.xml"
    assert export.media_type == "application/akn+xml"
    tree = _valid(schema, export.content, export.name)
    brackets = tree.xpath("//a:inline[@name='bracket']", namespaces=NS)
    in_text = sum(isinstance(s, Bracket) for e in compilation.elements for s in e.segments)
    alternatives = sum(len(e.alternatives) for e in compilation.elements)
    added = sum(e.added for e in compilation.elements)
    assert len(brackets) == in_text + alternatives + added
    known = _references(tree)
    for bracket in brackets:
        assert bracket.get("refersTo") in known  # the amendment
    for change in tree.xpath("//a:ins | //a:del", namespaces=NS):
        assert set(change.get("refersTo").split()) <= known  # its sponsors
    one = eid_of(bare_draft, "1")
    paragraph = tree.xpath(f"//a:paragraph[@wId='{one}']", namespaces=NS)[0]
    words = "".join(paragraph.itertext())
    assert "[common shared]Mexico, Philippines A1" in words
    assert " [and regular]Philippines A2 " in words
    assert paragraph.xpath(".//a:del[text()='common']/@refersTo", namespaces=NS) == ["#mex #phl"]
    attributions = tree.xpath("//a:inline[@name='attribution']/text()", namespaces=NS)
    assert "Mexico, Philippines A1" in attributions
    assert "Kenya A6" in attributions  # the paragraph it adds, numbered 3 bis
    added_paragraph = tree.xpath("//a:paragraph[a:num='3 bis.']", namespaces=NS)[0]
    assert added_paragraph.get("wId") is None
    assert added_paragraph.xpath(".//a:ins/text()", namespaces=NS) == ["We commit to cooperate."]
    alternatives_text = tree.xpath("//a:p[starts-with(., 'Alt ')]", namespaces=NS)
    assert len(alternatives_text) == 2
    proposals = tree.xpath("//a:inline[@name='proposal']/text()", namespaces=NS)
    assert any("delete the paragraph" in p for p in proposals)
    statuses = tree.xpath("//a:inline[@name='status']/text()", namespaces=NS)
    assert statuses.count("(open)") == 6
    # the footnote is an authorial note where its mark stands
    note = tree.xpath("//a:authorialNote", namespaces=NS)[0]
    assert note.getparent().text.endswith("Recalling the Charter of the United Nations")
    assert "".join(note.itertext()).strip() == "Signed in San Francisco on 26 June 1945."


def test_the_demo_compilation_and_amendments_validate(
    session: Session, schema: etree.XMLSchema
) -> None:
    draft = session.scalar(select(Draft).where(Draft.source == "gcm-zero-draft.md"))
    assert draft is not None
    compilation = compilation_of(session, get_process(session), draft, by=SYSTEM)
    tree = _valid(schema, export_compilation(compilation, draft, "akn").content, "compilation")
    assert tree.xpath("//a:inline[@name='bracket']", namespaces=NS)
    for amendment in list_amendments(session, draft):
        export = export_amendment(draft, amendment)
        _valid(schema, export.content, export.name)


def test_api_and_pages_serve_the_akoma_ntoso_papers(
    bare_session: Session, bare_draft: Draft, bare_client: TestClient, schema: etree.XMLSchema
) -> None:
    amended(bare_session, bare_draft)
    staff = account(bare_session, Role.SECRETARIAT)
    token = issue_token(bare_session, staff, by=principal_for(staff))
    api = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/drafts/{bare_draft.id}"
    response = bare_client.get(f"{base}/compilation/export", headers=api)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/akn+xml")
    _valid(schema, response.content, "api compilation")
    response = bare_client.get(f"{base}/compilation/export?format=md", headers=api)
    assert "\nCompilation text\n" in response.text
    response = bare_client.get(f"{base}/amendments/1/export", headers=api)
    assert response.status_code == 200
    assert 'filename="draft-' in response.headers["content-disposition"]
    _valid(schema, response.content, "api amendment")
    assert bare_client.get(f"{base}/amendments/1/export?format=pdf", headers=api).status_code == 422
    assert bare_client.get(f"{base}/amendments/99/export", headers=api).status_code == 404

    pages = signed_in(bare_client, staff)
    page = pages.get(f"/drafts/{bare_draft.id}/amendments/1")
    assert f"/drafts/{bare_draft.id}/amendments/1/export?format=akn" in page.text
    response = pages.get(f"/drafts/{bare_draft.id}/amendments/1/export?format=akn")
    assert response.status_code == 200
    _valid(schema, response.content, "page amendment")
    page = pages.get(f"/drafts/{bare_draft.id}/compilation")
    assert f"/drafts/{bare_draft.id}/compilation?format=akn" in page.text
    response = pages.get(f"/drafts/{bare_draft.id}/compilation?format=akn")
    _valid(schema, response.content, "page compilation")


def test_the_command_line_exports_the_akoma_ntoso_papers(
    cli_db: str, tmp_path: Path, schema: etree.XMLSchema
) -> None:
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args), env={"STOCKTAKE_DATABASE_URL": cli_db})
        return result.exit_code, result.output

    source = tmp_path / "compact.md"
    source.write_text(SAMPLE, encoding="utf-8")
    code, output = run("drafts", "import", str(source))
    assert code == 0, output
    draft = output.split()[-1]
    assert run("drafts", "issue", draft)[0] == 0
    amend = ("--kind", "replace", "--target", "para_5", "--quoted", "common")
    code, output = run("drafts", "amend", draft, "--sponsor", "MEX", *amend, "--new-text", "x")
    assert code == 0, output
    out = tmp_path / "compilation.xml"
    code, output = run("drafts", "compile", draft, "--format", "akn", "--out", str(out))
    assert code == 0, output
    _valid(schema, out.read_bytes(), "cli compilation")
    out = tmp_path / "a1.xml"
    code, output = run("drafts", "export-amendment", draft, "1", "--out", str(out))
    assert code == 0, output
    tree = _valid(schema, out.read_bytes(), "cli amendment")
    assert tree.xpath("//a:docProponent/text()", namespaces=NS) == ["Mexico"]
    code, output = run("drafts", "export-amendment", draft, "9")
    assert code != 0
    assert "A9" in output or "9" in output
