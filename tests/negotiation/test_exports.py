from __future__ import annotations

import io
import re

import pytest
from docx import Document
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.accounts.services import issue_token, principal_for
from stocktake.core.permissions import Role
from stocktake.negotiation.exports import (
    compilation_of,
    export_comparison,
    export_compilation,
    export_text,
)
from stocktake.negotiation.formats.akn import AKN as AKN_NS
from stocktake.negotiation.models import AmendmentStatus, Draft, PositionRole
from stocktake.negotiation.services import (
    AmendmentData,
    decide_amendment,
    issue_revision,
    propose_amendment,
    take_position,
)
from stocktake.process.services import get_process
from tests.factories.accounts import account
from tests.negotiation.conftest import AKN, SYSTEM, eid_of


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(AKN / "akomantoso30.xsd")))


def amended(session: Session, draft: Draft) -> Draft:
    """Zero draft issued, then pending proposals of every kind from several delegations."""
    issue_revision(session, draft, by=SYSTEM)
    one, two, three = eid_of(draft, "1"), eid_of(draft, "2"), eid_of(draft, "3")
    proposals = [
        AmendmentData(
            kind="replace", target=one, quoted="common", new_text="shared", sponsor="MEX"
        ),
        AmendmentData(
            kind="insert", target=one, quoted="orderly", new_text="and regular", sponsor="PHL"
        ),
        AmendmentData(kind="delete", target=three, quoted="and to share data ", sponsor="EU"),
        AmendmentData(
            kind="alternative",
            target=two,
            new_text="The compact is rooted in the Charter.",
            sponsor="AFRICAN-GROUP",
        ),
        AmendmentData(
            kind="alternative",
            target=two,
            new_text="The Charter guides the compact.",
            sponsor="BRA",
        ),
        AmendmentData(
            kind="add_paragraph", target=three, new_text="We commit to cooperate.", sponsor="KEN"
        ),
        AmendmentData(kind="delete_paragraph", target=eid_of(draft, "4"), sponsor="EU"),
        AmendmentData(kind="move_paragraph", target=three, destination=one, sponsor="MEX"),
        # overlaps the first: listed under the paragraph, not mixed into the brackets
        AmendmentData(
            kind="replace",
            target=one,
            quoted="common understanding",
            new_text="vision",
            sponsor="BRA",
        ),
    ]
    amendments = [propose_amendment(session, draft, p, by=SYSTEM) for p in proposals]
    take_position(session, draft, amendments[0], PositionRole.CO_SPONSOR, actor="PHL", by=SYSTEM)
    decide_amendment(session, draft, amendments[2], AmendmentStatus.ACCEPTED, by=SYSTEM)
    return draft


def test_the_compilation_text_brackets_and_attributes_every_pending_proposal(
    bare_session: Session, bare_draft: Draft
) -> None:
    amended(bare_session, bare_draft)
    compilation = compilation_of(bare_session, get_process(bare_session), bare_draft, by=SYSTEM)
    assert compilation.open_brackets == 8  # the accepted one waits for the revision, unbracketed
    html = export_compilation(compilation, bare_draft, "html").content.decode()
    assert "<del>common</del> <ins>shared</ins>]" in html
    assert "Mexico, Philippines A1" in html
    assert "Alt 1" in html
    assert "Alt 2" in html
    assert "3 bis" in html
    assert "delete the paragraph" in html
    assert "move after 1" in html
    assert "replace &quot;common understanding&quot; with &quot;vision&quot;" in html
    markdown = export_compilation(compilation, bare_draft, "md").content.decode()
    assert "[~~common~~ **shared**]^(Mexico, Philippines A1)" in markdown
    assert " [**and regular**]^(Philippines A2)" in markdown
    assert compilation.by_status == {
        "open": 6,
        "under_discussion": 0,
        "agreed_ad_ref": 0,
        "agreed": 0,
    }
    docx = Document(io.BytesIO(export_compilation(compilation, bare_draft, "docx").content))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "[common shared]Mexico, Philippines A1" in text


def test_every_akoma_ntoso_export_validates(
    session: Session, draft: Draft, schema: etree.XMLSchema
) -> None:
    process = get_process(session)
    amended(session, draft)
    issue_revision(session, draft, by=SYSTEM)
    exports = [export_text(process, draft, r, "akn") for r in draft.revisions]
    exports.append(export_text(process, draft, None, "akn"))
    demo = session.scalar(select(Draft).where(Draft.source == "gcm-zero-draft.md"))
    assert demo is not None
    exports += [export_text(process, demo, r, "akn") for r in demo.revisions]
    for export in exports:
        document = etree.fromstring(export.content)
        assert schema.validate(document), (export.name, schema.error_log)
    zero = etree.fromstring(exports[0].content)
    ns = {"a": AKN_NS}
    assert zero.xpath("//a:FRBRExpression/a:FRBRlanguage/@language", namespaces=ns) == ["eng"]
    expression = zero.xpath("//a:FRBRExpression/a:FRBRthis/@value", namespaces=ns)[0]
    assert expression.startswith(f"/akn/un/statement/draft/gcm-{draft.id}/eng@")
    assert "!zero-draft" in expression
    first = etree.fromstring(exports[1].content)
    assert "!rev1" in first.xpath("//a:FRBRExpression/a:FRBRthis/@value", namespaces=ns)[0]
    # a paragraph keeps its wId (its identity) from revision to revision; its eId says where it
    # stands, from the numbers, and is never the same value
    eid = eid_of(draft, "1")
    assert zero.xpath(f"//*[@wId='{eid}']/a:num/text()", namespaces=ns) == ["1."]
    assert zero.xpath(f"//*[@wId='{eid}']/@eId", namespaces=ns) == ["sec_I__para_1"]
    assert first.xpath(f"//*[@wId='{eid}']", namespaces=ns)
    for export in exports:
        tree = etree.fromstring(export.content)
        named = tree.xpath("//*[@wId]")
        assert named
        assert all(e.get("eId") and e.get("eId") != e.get("wId") for e in named)
        eids = [e.get("eId") for e in tree.xpath("//*[@eId]")]
        assert len(eids) == len(set(eids)), export.name


@pytest.mark.parametrize("fmt", ["docx", "html", "md"])
def test_text_and_comparison_exports(bare_session: Session, bare_draft: Draft, fmt: str) -> None:
    process = get_process(bare_session)
    amended(bare_session, bare_draft)
    first = issue_revision(bare_session, bare_draft, by=SYSTEM)
    text = export_text(process, bare_draft, first, fmt)
    assert text.name == f"draft-{bare_draft.id}-rev1.{fmt}"
    comparison = export_comparison(bare_draft, bare_draft.revisions[0], first, fmt)
    if fmt == "docx":
        words = "\n".join(p.text for p in Document(io.BytesIO(comparison.content)).paragraphs)
        assert "and to share data" in words
        body = "\n".join(p.text for p in Document(io.BytesIO(text.content)).paragraphs)
        assert "We commit to collect data with partners." in body
    else:
        content = comparison.content.decode()
        assert "and to share data" in content
        assert "We commit to collect data with partners." in text.content.decode()


def test_side_by_side_comparison(bare_session: Session, bare_draft: Draft) -> None:
    amended(bare_session, bare_draft)
    first = issue_revision(bare_session, bare_draft, by=SYSTEM)
    html = export_comparison(
        bare_draft, bare_draft.revisions[0], first, "html", side_by_side=True
    ).content.decode()
    assert '<table class="side" tabindex="0">' in html
    assert " <del>and to share data</del> " in html
    # read without its style sheet, a number never runs into its paragraph's first word
    for exported in (
        html,
        export_comparison(bare_draft, bare_draft.revisions[0], first, "html").content.decode(),
    ):
        numbers = re.findall(r'<span class="num">[^<]*</span>(.)', exported)
        assert numbers
        assert set(numbers) == {" "}


HOSTILE = "<script>alert(1)</script> [here](javascript:alert(2)) *loud* &amp; `code`"


def _raw_markup(markdown: str) -> list[str]:
    """What in a Markdown file would not show as the delegation's words: raw HTML, a link, an
    entity, emphasis or code of its own (each mark not preceded by a backslash)."""
    marks = (r"<script>", r"\]\(javascript:", r"&amp;", r"\*loud", r"`code")
    return [mark for mark in marks if re.search(r"(?<!\\)" + mark, markdown)]


def test_every_markdown_export_escapes_a_delegations_words(
    bare_session: Session, bare_draft: Draft, bare_client: TestClient
) -> None:
    process = get_process(bare_session)
    staff = account(bare_session, Role.SECRETARIAT)
    token = issue_token(bare_session, staff, by=principal_for(staff))
    issue_revision(bare_session, bare_draft, by=SYSTEM)
    one, two = eid_of(bare_draft, "1"), eid_of(bare_draft, "2")
    taken = propose_amendment(
        bare_session,
        bare_draft,
        AmendmentData(kind="insert", target=one, quoted="orderly", new_text=HOSTILE, sponsor="MEX"),
        by=SYSTEM,
    )
    decide_amendment(bare_session, bare_draft, taken, AmendmentStatus.ACCEPTED, by=SYSTEM)
    first = issue_revision(bare_session, bare_draft, by=SYSTEM)
    for kind, extra in (("alternative", {}), ("replace", {"quoted": "Charter"})):
        propose_amendment(
            bare_session,
            bare_draft,
            AmendmentData(kind=kind, target=two, new_text=HOSTILE, sponsor="PHL", **extra),
            by=SYSTEM,
        )
    compilation = compilation_of(bare_session, process, bare_draft, by=SYSTEM)
    exports = {
        "text": export_text(process, bare_draft, first, "md").content.decode(),
        "comparison": export_comparison(
            bare_draft, bare_draft.revisions[0], first, "md"
        ).content.decode(),
        "compilation": export_compilation(compilation, bare_draft, "md").content.decode(),
        "api": bare_client.get(
            f"/api/v1/drafts/{bare_draft.id}/export",
            params={"format": "md", "revision": first.number},
            headers={"Authorization": f"Bearer {token}"},
        ).text,
    }
    for name, markdown in exports.items():
        assert "alert(1)" in markdown, name
        assert _raw_markup(markdown) == [], name
        assert "\\<script\\>alert(1)\\</script\\>" in markdown, name
    assert "[\\<script\\>" in exports["compilation"]  # the bracket itself stays markup
