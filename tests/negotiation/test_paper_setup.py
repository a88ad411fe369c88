"""The negotiation's Word papers declare the language they are written in, Chinese with a Chinese
font, and in Arabic read from the right: a language version of a revision, the comparison and the
room's lists asked for in Arabic, where the draft's English text stays left to right."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.oxml.ns import qn
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stocktake.core.permissions import Role
from stocktake.negotiation.formats.reading import read_text
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import (
    AmendmentData,
    add_language_version,
    issue_revision,
    propose_amendment,
)
from stocktake.negotiation.services.papers import PaperDetails, set_paper_details
from stocktake.web.languages import LANGUAGE_COOKIE
from tests.factories.accounts import account, signed_in
from tests.negotiation.conftest import SYSTEM, eid_of
from tests.negotiation.test_languages import ARABIC, FRENCH
from tests.web.test_house_papers import assert_described, assert_in_language, setup_of

CHINESE = """# 合作契约

回顾《联合国宪章》[^1]，

认识到移民是一项共同责任，

## 愿景

1. 本契约确立了对安全和有序移民的共同理解。

2. 本契约以《宪章》的宗旨和原则为基础。
(a) 以人为本；
(b) 国际合作；

## 目标

3. 我们承诺收集数据并与伙伴分享。

4. 我们承诺在移民的各个阶段提供准确的信息。

[^1]: 1945年6月26日在旧金山签署。
"""


def test_each_version_of_a_revision_is_a_paper_in_its_language(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    details = PaperDetails("A/CONF.231/3", "General", None, "Letter", False)
    set_paper_details(bare_session, bare_draft, details, by=SYSTEM)
    revision = issue_revision(bare_session, bare_draft, by=SYSTEM)
    for code, text in (("fr", FRENCH), ("ar", ARABIC), ("zh", CHINESE)):
        add_language_version(
            bare_session, bare_draft, code, read_text(text), revision=revision.number, by=SYSTEM
        )
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    base = f"/drafts/{bare_draft.id}"
    for language in ("en", "fr", "ar", "zh"):
        docx = bare_client.get(f"{base}/export?format=docx&revision=0&language={language}")
        assert docx.status_code == 200
        setup = setup_of(docx.content)
        assert (setup.width_mm, setup.height_mm) == (216, 279)  # Letter, as chosen
        assert setup.header == "A/CONF.231/3"
        assert setup.page_numbers
        assert_in_language(setup, language)
        title = Document(io.BytesIO(docx.content)).paragraphs[0].text
        assert title.endswith("(Zero draft)")
        assert_described(docx.content, title, language)
    compiled = bare_client.get(f"{base}/compilation?format=docx").content
    assert_described(compiled, Document(io.BytesIO(compiled)).paragraphs[0].text, "en")
    compilation = setup_of(compiled)
    assert compilation.width_mm == 216
    assert_in_language(compilation, "en")


def test_the_room_s_lists_asked_for_in_arabic_read_from_the_right(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    data = AmendmentData(
        kind="replace",
        target=eid_of(bare_draft, "1"),
        quoted="common",
        new_text="joint",
        sponsor="MEX",
    )
    propose_amendment(bare_session, bare_draft, data, by=SYSTEM)
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    bare_client.cookies.set(LANGUAGE_COOKIE, "ar")
    docx = bare_client.get(f"/drafts/{bare_draft.id}/amendment-list?format=docx")
    assert docx.status_code == 200
    setup = setup_of(docx.content)
    assert setup.width_mm == 210
    assert setup.page_numbers
    assert setup.tables == 1
    assert setup.english > 0  # the draft's English text, beside the Arabic words of the list
    assert_in_language(setup, "ar")  # ... not marked right to left
    assert setup.bidi < setup.paragraphs  # its paragraphs wholly in English read from the left
    bare_client.cookies.set(LANGUAGE_COOKIE, "fr")
    french = setup_of(
        bare_client.get(f"/drafts/{bare_draft.id}/amendment-list?format=docx").content
    )
    assert_in_language(french, "fr")


def test_an_arabic_revision_s_masthead_reads_its_english_lines_in_their_order(
    bare_client: TestClient, bare_session: Session, bare_draft: Draft
) -> None:
    """The distribution block of an Arabic version stays in English, as the UN prints it: its
    lines ("Distr.: General", "5 March 2018") read from the left, on the right of the page; set
    right to left, the date would read "March 2018 5"."""
    details = PaperDetails("A/CONF.231/3", "General", dt.date(2018, 3, 5), "A4", False)
    set_paper_details(bare_session, bare_draft, details, by=SYSTEM)
    revision = issue_revision(bare_session, bare_draft, by=SYSTEM)
    add_language_version(
        bare_session, bare_draft, "ar", read_text(ARABIC), revision=revision.number, by=SYSTEM
    )
    signed_in(bare_client, account(bare_session, Role.SECRETARIAT))
    answer = bare_client.get(
        f"/drafts/{bare_draft.id}/export?format=docx&revision={revision.number}&language=ar"
    )
    header = Document(io.BytesIO(answer.content)).sections[0].first_page_header
    lines = {p.text: p for p in header.paragraphs if p.text}
    assert "5 March 2018" in lines, list(lines)
    for text in ("5 March 2018", "Distr.: General"):
        properties = lines[text]._p.pPr
        assert properties.find(qn("w:bidi")) is None, text  # read from the left
        assert properties.find(qn("w:jc")).get(qn("w:val")) == "right", text  # on the right
