"""Papers fit to circulate: A4 or Letter, a header with the symbol and distribution line, page
numbers, line numbers, real footnotes in place, brackets spaced, ad ref shown, tracked changes."""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.errors import Conflict, ValidationFailed
from stocktake.core.permissions import Role
from stocktake.negotiation.exports import (
    compilation_of,
    export_comparison,
    export_compilation,
    export_text,
)
from stocktake.negotiation.formats.office import read_footnotes
from stocktake.negotiation.formats.reading import read_draft
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import (
    PaperDetails,
    import_draft,
    issue_revision,
    revision_nodes,
    set_paper_details,
    working_nodes,
)
from stocktake.process.services import get_process
from tests.conftest import csrf_of
from tests.factories.accounts import account, signed_in
from tests.negotiation.conftest import SYSTEM

W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _demo(session: Session) -> Draft:
    draft = session.scalar(select(Draft).where(Draft.source == "gcm-zero-draft.md"))
    assert draft is not None
    return draft


def _open(content: bytes) -> object:
    return Document(io.BytesIO(content))


def _header_text(document: object) -> str:
    section = document.sections[0]  # type: ignore[attr-defined]
    return "\n".join(p.text for p in section.first_page_header.paragraphs)


def _accepted(paragraph: etree._Element, accept: bool) -> str:
    """A paragraph's words once every tracked change is accepted (or rejected)."""
    p = copy.deepcopy(paragraph)
    drop, keep = ("w:del", "w:ins") if accept else ("w:ins", "w:del")
    for element in p.iter(qn(f"w:{drop[2:]}")):
        element.getparent().remove(element)
    words = []
    for element in p.iter(qn("w:t"), qn("w:delText"), qn("w:tab")):
        if element.tag == qn("w:delText") and keep == "w:ins":
            continue
        words.append(" " if element.tag == qn("w:tab") else element.text or "")
    return " ".join("".join(words).split())


def test_the_demo_papers_go_out_as_a_secretariat_sends_them(session: Session) -> None:
    process = get_process(session)
    draft = _demo(session)
    zero, first = draft.revisions[0], draft.revisions[1]

    zero_doc = _open(export_text(process, draft, zero, "docx").content)
    section = zero_doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    header = _header_text(zero_doc)
    assert "A/CONF.231/3" in header
    assert "Distr.: General" in header
    assert "Original: English" in header
    assert f"{zero.issued_at.day} {zero.issued_at:%B %Y}" in header
    footer = etree.tostring(section.footer._element).decode()
    assert "PAGE" in footer
    # the footnote is a real one, its mark right after the words it follows
    assert list(read_footnotes(zero_doc).values()) == ["General Assembly resolution 71/1."]
    preamble = next(p for p in zero_doc.paragraphs if p.text.startswith("We, the Heads"))
    runs = preamble._p.findall(qn("w:r"))
    mark = next(i for i, r in enumerate(runs) if r.find(qn("w:footnoteReference")) is not None)
    before = "".join(t.text for r in runs[:mark] for t in r.iter(qn("w:t")))
    assert before.endswith("New York Declaration for Refugees and Migrants")
    assert zero_doc.paragraphs[0].style.name == "Title"

    first_doc = _open(export_text(process, draft, first, "docx").content)
    assert "A/CONF.231/3/Rev.1" in _header_text(first_doc)
    ad_ref = [p.text for p in first_doc.paragraphs if p.text.endswith("(agreed ad ref.)")]
    assert len(ad_ref) == 2
    markdown = export_text(process, draft, first, "md").content.decode()
    assert markdown.count("(agreed ad ref.)") == 2

    compilation = compilation_of(session, process, draft, by=SYSTEM)
    compiled = _open(export_compilation(compilation, draft, "docx").content)
    text = "\n".join(p.text for p in compiled.paragraphs)
    # not the zero draft: no symbol of its own, but the revision it works on named where the
    # symbol would stand, as a conference room paper does; dated the day it compiles amendments to
    header = _header_text(compiled)
    assert header.splitlines()[0] == "A/CONF.231/3/Rev.1 — compilation text"
    assert "Draft" not in header
    today = dt.datetime.now(dt.UTC).date()
    assert f"{today.day} {today:%B %Y}" in header
    assert f"Compilation of amendments received by {today.day} {today:%B %Y}" in text
    assert "regular migration [in accordance with national priorities]EU A5 in a manner" in text
    # sponsors as delegates know them, and no secretariat's counts or "(open)" marks
    assert "GRULAC A3" in text
    assert "African Group; opposed by EU A4" in text
    assert "RG-GRULAC" not in text
    assert "AFRICAN-GROUP" not in text
    assert "open bracket" not in text
    assert "(open)" not in text
    assert "::" not in text
    assert "3 pending amendments are shown in square brackets" in text
    assert "zero draft skeleton" not in text
    for fmt in ("md", "html"):
        other = export_compilation(compilation, draft, fmt).content.decode()
        assert "RG-GRULAC" not in other
        assert "(open)" not in other
        assert "open bracket" not in other
    assert list(read_footnotes(compiled).values()) == ["General Assembly resolution 71/1."]
    assert "General Assembly resolution" not in text  # a footnote, not a paragraph

    compared = _open(export_comparison(draft, zero, first, "docx").content)
    # a comparison is not Rev.1 itself: it names the two it compares
    assert (
        _header_text(compared).splitlines()[0]
        == "A/CONF.231/3/Rev.1 — comparison with A/CONF.231/3"
    )
    lines = [p.text for p in compared.paragraphs]
    assert lines[:2] == [
        "Global Compact for Safe, Orderly and Regular Migration",
        "Zero draft (A/CONF.231/3) compared with Rev.1 (A/CONF.231/3/Rev.1)",
    ]
    tracked = export_comparison(draft, zero, first, "tracked")
    assert "A/CONF.231/3/Rev.1" not in _header_text(_open(tracked.content))
    assert tracked.name.endswith("-tracked.docx")
    body = _open(tracked.content).element.body
    changes = body.findall(".//w:ins", W) + body.findall(".//w:del", W)
    assert changes
    assert all(c.get(qn("w:author")) == "Secretariat" for c in changes)
    assert all(c.get(qn("w:id")) for c in changes)
    ids = [c.get(qn("w:id")) for c in body.iter(qn("w:ins"), qn("w:del"))]
    assert len(ids) == len(set(ids))
    old = {n.text for n in revision_nodes(zero)}
    new = {n.text for n in revision_nodes(first)}
    paragraphs = body.findall("w:p", W)[1:]
    accepted = [_accepted(p, accept=True) for p in paragraphs]
    rejected = [_accepted(p, accept=False) for p in paragraphs]
    improved = next(t for t in new if "improve the global evidence base" in t)
    assert any(a.endswith(improved) for a in accepted)
    strengthened = next(t for t in old if "strengthen the global evidence base" in t)
    assert any(r.endswith(strengthened) for r in rejected)


def test_paper_details_letter_and_line_numbers_and_symbols_are_unique(
    bare_session: Session, bare_draft: Draft
) -> None:
    process = get_process(bare_session)
    set_paper_details(
        bare_session,
        bare_draft,
        PaperDetails(
            symbol="A/CONF.999/1",
            distribution="Limited",
            dated=dt.date(2018, 3, 5),
            paper="Letter",
            line_numbers=True,
        ),
        by=SYSTEM,
    )
    document = _open(export_text(process, bare_draft, None, "docx").content)
    section = document.sections[0]
    assert abs(section.page_width - Mm(215.9)) < Mm(1)
    header = _header_text(document)
    assert "A/CONF.999/1" in header
    assert "Distr.: Limited" in header
    assert "5 March 2018" in header
    assert section._sectPr.find(qn("w:lnNumType")) is not None
    other = import_draft(
        bare_session, process, read_draft(b"# Other\n\n1. A paragraph.\n", "o.md"), by=SYSTEM
    )
    with pytest.raises(Conflict, match=f"draft {bare_draft.id}"):
        set_paper_details(bare_session, other, PaperDetails(symbol="A/CONF.999/1"), by=SYSTEM)
    with pytest.raises(ValidationFailed, match="paper"):
        set_paper_details(bare_session, other, PaperDetails(paper="A5"), by=SYSTEM)
    assert other.symbol is None


@pytest.mark.parametrize("fmt", ["docx", "md", "akn"])
def test_own_exports_read_back_with_footnotes_in_place(
    bare_session: Session, bare_draft: Draft, fmt: str
) -> None:
    process = get_process(bare_session)
    revision = issue_revision(bare_session, bare_draft, by=SYSTEM)
    exported = export_text(process, bare_draft, revision, fmt)
    again = import_draft(
        bare_session, process, read_draft(exported.content, exported.name), by=SYSTEM
    )
    assert again.title == bare_draft.title
    before, after = working_nodes(bare_draft), working_nodes(again)
    assert [(n.kind, n.number, n.text) for n in after] == [
        (n.kind, n.number, n.text) for n in before
    ]
    note = next(n for n in after if n.kind == "footnote")
    assert note.origin["after"].endswith("Recalling the Charter of the United Nations")


def test_the_secretariat_sets_the_papers_on_the_draft_page(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    page = bare_client.get(f"/drafts/{bare_draft.id}")
    assert "Document symbol" in page.text
    saved = bare_client.post(
        f"/drafts/{bare_draft.id}/paper",
        data={
            "csrf": csrf_of(bare_client, f"/drafts/{bare_draft.id}"),
            "symbol": "A/CONF.231/L.1",
            "distribution": "Limited",
            "dated": "2018-07-13",
            "paper": "Letter",
            "line_numbers": "true",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    bare_session.refresh(bare_draft)
    assert bare_draft.symbol == "A/CONF.231/L.1"
    assert bare_draft.dated == dt.date(2018, 7, 13)
    assert bare_draft.line_numbers
    exported = bare_client.get(f"/drafts/{bare_draft.id}/export", params={"format": "docx"})
    header = _header_text(_open(exported.content))
    assert "A/CONF.231/L.1" in header
    assert "13 July 2018" in header
    bad = bare_client.post(
        f"/drafts/{bare_draft.id}/paper",
        data={"csrf": csrf_of(bare_client, f"/drafts/{bare_draft.id}"), "dated": "soon"},
    )
    assert bad.status_code == 422
    assert "dated" in bad.text
