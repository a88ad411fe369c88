from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from docx import Document
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.consultation.files import extract_text
from stocktake.core.errors import ValidationFailed
from stocktake.negotiation.formats.reading import read_draft, read_text
from stocktake.negotiation.formats.writing import text_markdown
from stocktake.negotiation.models import Draft
from stocktake.negotiation.services import import_draft, skeleton_from_summary, working_nodes
from stocktake.negotiation.text import Node, number_nodes
from stocktake.process.services import get_process
from stocktake.summary.models import Summary
from tests.negotiation.conftest import AKN, SAMPLE, SYSTEM


def kinds_and_numbers(elements: list[Node]) -> list[tuple[str, str]]:
    return [(n.kind, n.number) for n in number_nodes(elements)]


def test_text_numbering_is_detected() -> None:
    parsed = read_text(SAMPLE, "sample.md")
    assert parsed.title == "A compact on cooperation"
    nodes = [Node(str(i), e.kind.value, e.text) for i, e in enumerate(parsed.elements)]
    assert kinds_and_numbers(nodes) == [
        ("preamble", "PP1"),
        ("footnote", "1"),
        ("preamble", "PP2"),
        ("heading", "I"),
        ("paragraph", "1"),
        ("paragraph", "2"),
        ("point", "(a)"),
        ("point", "(b)"),
        ("heading", "II"),
        ("paragraph", "3"),
        ("paragraph", "4"),
    ]
    assert parsed.elements[0].text == "Recalling the Charter of the United Nations,"
    assert parsed.elements[1].text == "Signed in San Francisco on 26 June 1945."


def test_plain_text_with_roman_headings_and_typed_numbers() -> None:
    parsed = read_text(
        "Draft outcome\n\nNoting the work done,\n\nI. Principles\n\n1) First.\n\n2) Second.\n"
        "a) a point\nb) another\n"
    )
    assert parsed.title == "Draft outcome"
    assert [e.kind.value for e in parsed.elements] == [
        "preamble",
        "heading",
        "paragraph",
        "paragraph",
        "point",
        "point",
    ]


def docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("A compact from Word", style="Title")
    document.add_paragraph("Recalling earlier resolutions,")
    document.add_heading("Commitments", level=1)
    document.add_paragraph("We commit to cooperate.", style="List Number")
    document.add_paragraph("in data;", style="List Number 2")
    document.add_paragraph("in information.", style="List Number 2")
    document.add_paragraph("We commit to review.", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_headings_and_numbered_and_lettered_lists() -> None:
    parsed = read_draft(docx_bytes(), "draft.docx")
    assert parsed.title == "A compact from Word"
    assert [(e.kind.value, e.text) for e in parsed.elements] == [
        ("preamble", "Recalling earlier resolutions,"),
        ("heading", "Commitments"),
        ("paragraph", "We commit to cooperate."),
        ("point", "in data;"),
        ("point", "in information."),
        ("paragraph", "We commit to review."),
    ]


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (AKN / "examples").glob("*.xml")),
)
def test_the_real_akoma_ntoso_documents_import(name: str) -> None:
    parsed = read_draft((AKN / "examples" / name).read_bytes(), name)
    assert parsed.title
    assert len(parsed.elements) >= 2


def test_an_akoma_ntoso_bill_keeps_its_structure() -> None:
    parsed = read_draft((AKN / "examples" / "us_Act_2011-11-29.xml").read_bytes(), "act.xml")
    kinds = {e.kind.value for e in parsed.elements}
    assert {"heading", "paragraph"} <= kinds or {"paragraph", "point"} <= kinds


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><doc><p>&lol3;</p></doc></akomaNtoso>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><doc><p>&xxe;</p></doc></akomaNtoso>"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS, "DTD or entities"),
        (EXTERNAL_ENTITY, "DTD or entities"),
        (b"<akomaNtoso><unclosed></akomaNtoso>", "malformed XML"),
        (b"<html><body/></html>", "not an Akoma Ntoso document"),
    ],
)
def test_hostile_or_malformed_xml_is_refused(content: bytes, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_draft(content, "hostile.xml")
    assert message in str(caught.value)
    assert "root:" not in str(caught.value)


AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
XXE_BODY = (
    '<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<akomaNtoso xmlns="{AKN_NS}"><doc name="x"><mainBody>'
    '<paragraph eId="para_1"><num>1.</num><content><p>&xxe;</p></content></paragraph>'
    "</mainBody></doc></akomaNtoso>"
)


@pytest.mark.parametrize(
    "content",
    [
        # UTF-16 with a byte order mark, and without one (read from its first bytes)
        ('<?xml version="1.0" encoding="UTF-16"?>' + XXE_BODY).encode("utf-16"),
        ('<?xml version="1.0" encoding="UTF-16"?>' + XXE_BODY).encode("utf-16-be"),
        ('<?xml version="1.0" encoding="UTF-32"?>' + XXE_BODY).encode("utf-32"),
        # a DOCTYPE (an external one, no entity named) past the first 4 KiB, behind a comment
        (
            '<?xml version="1.0"?><!--'
            + " " * 5000
            + '--><!DOCTYPE a SYSTEM "http://x.test/a.dtd">'
            + XXE_BODY.split("]>", 1)[1].replace("&xxe;", "text")
        ).encode(),
        # an encoding the check cannot read is refused, not trusted
        ('<?xml version="1.0" encoding="x-unknown-9"?>' + XXE_BODY).encode(),
    ],
    ids=["utf-16", "utf-16-be-no-bom", "utf-32", "doctype-after-4k", "unknown-encoding"],
)
def test_a_dtd_is_refused_in_any_encoding_and_anywhere(content: bytes) -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_draft(content, "hostile.xml")
    message = str(caught.value)
    assert "DTD or entities" in message or "which is not read" in message


def _docx_with(part: str, change: Callable[[bytes], bytes]) -> bytes:
    rewritten = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes())) as source,
        zipfile.ZipFile(rewritten, "w") as target,
    ):
        names = source.namelist()
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, change(data) if item.filename == part else data)
        if part not in names:
            target.writestr(part, change(b""))
    return rewritten.getvalue()


def _doctype_first(data: bytes) -> bytes:
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + body


def _doctype_late(data: bytes) -> bytes:
    head, body = data.split(b"?>", 1)
    return head + b"?><!--" + b" " * 5000 + b'--><!DOCTYPE r SYSTEM "file:///etc/passwd">' + body


HOSTILE_DOCX = [
    ("_rels/.rels", _doctype_first),
    ("word/_rels/document.xml.rels", _doctype_first),
    ("word/document.xml", _doctype_late),
    ("word/anything.bin", lambda _: _doctype_first(b"<r/>").decode().encode("utf-16")),
]


@pytest.mark.parametrize(("part", "change"), HOSTILE_DOCX, ids=[p for p, _ in HOSTILE_DOCX])
def test_every_part_of_a_docx_is_checked_whole(part: str, change: Callable[[bytes], bytes]) -> None:
    content = _docx_with(part, change)
    with pytest.raises(ValidationFailed) as caught:
        read_draft(content, "hostile.docx")
    assert f"{part}: declares a DTD or entities" in str(caught.value)
    # a written contribution's DOCX attachment passes the same check
    with pytest.raises(ValidationFailed) as caught:
        extract_text(content, "hostile.docx")
    assert f"{part}: declares a DTD or entities" in str(caught.value)


def test_a_huge_akoma_ntoso_file_is_refused_while_it_is_parsed() -> None:
    paragraphs = "".join(
        f'<paragraph eId="para_{n}"><num>{n}.</num><content><p>Paragraph {n}.</p></content>'
        "</paragraph>"
        for n in range(1, 60_001)
    )
    # the file breaks off after its 60,000 paragraphs: read to the end, it would be malformed XML;
    # refused as too large, the parser stopped at the limit, before the end
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><akomaNtoso xmlns="{AKN_NS}"><doc name="x">'
        f"<mainBody>{paragraphs}<paragraph <<<"
    ).encode()
    with pytest.raises(ValidationFailed) as caught:
        read_draft(content, "huge.xml")
    assert "more than 5,000 elements" in str(caught.value)
    assert "malformed" not in str(caught.value)
    # the same break within the limit is named as malformed, so the test above tells them apart
    with pytest.raises(ValidationFailed) as caught:
        read_draft(content[:2000] + b"<paragraph <<<", "short.xml")
    assert "malformed XML" in str(caught.value)


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>" + b" " * (60 * 2**20))
    with pytest.raises(ValidationFailed) as caught:
        read_draft(buffer.getvalue(), "bomb.docx")
    assert "unpacks to far more" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a zip at all", "broken.docx", "not a DOCX file"),
        (b"\xff\xfe\x00bad", "draft.txt", "not UTF-8"),
        (b"Just a title\n", "draft.md", "no paragraph"),
        (b"anything", "draft.pdf", "unknown format"),
    ],
)
def test_malformed_files_are_refused(content: bytes, name: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_draft(content, name)
    assert message in str(caught.value)


def test_import_gives_each_element_an_identity_of_its_own(bare_session: Session) -> None:
    draft = import_draft(
        bare_session, get_process(bare_session), read_text(SAMPLE), by=SYSTEM, source="sample.md"
    )
    eids = [n.eid for n in working_nodes(draft)]
    assert len(set(eids)) == len(eids) == 11
    assert eids[4] == "para_5"


def test_a_refused_import_stores_nothing(bare_session: Session) -> None:
    before = bare_session.scalar(select(func.count(Draft.id)))
    parsed = read_text(SAMPLE)
    parsed.elements[3].text = "x" * 20_001
    with pytest.raises(ValidationFailed):
        import_draft(bare_session, get_process(bare_session), parsed, by=SYSTEM)
    assert bare_session.scalar(select(func.count(Draft.id))) == before


def test_a_zero_draft_starts_from_the_chairs_summary(session: Session) -> None:
    summary = session.scalar(select(Summary).order_by(Summary.id))
    assert summary is not None
    parsed = skeleton_from_summary(summary)
    draft = import_draft(session, get_process(session), parsed, by=SYSTEM, source="summary")
    headings = [e for e in draft.elements if e.kind == "heading"]
    assert headings
    assert headings[0].label == "Objective 1"
    assert not headings[0].text.startswith("Objective")
    origin = headings[0].origin
    assert origin["summary"] == summary.id
    assert " / " in origin["theme"]
    assert origin["inputs"]


NUMBERED_HEADINGS = """# A compact

Recalling the Charter,

## I. Our shared vision

1. We share a vision.

## Objective 3: Provide accurate information

2. We commit to provide information.

## Objective 20: Promote cheaper remittances

3. We commit to promote cheaper remittances.

IV. Follow-up and review

4. We will review progress.
"""


def test_a_typed_heading_number_is_read_as_the_number_not_kept_as_text(
    bare_session: Session,
) -> None:
    parsed = read_text(NUMBERED_HEADINGS, "numbered.md")
    headings = [(e.label, e.text) for e in parsed.elements if e.kind == "heading"]
    assert headings == [
        ("", "Our shared vision"),
        ("Objective 3", "Provide accurate information"),
        ("Objective 20", "Promote cheaper remittances"),
        ("", "Follow-up and review"),
    ]
    draft = import_draft(bare_session, get_process(bare_session), parsed, by=SYSTEM)
    nodes = [n for n in working_nodes(draft) if n.kind == "heading"]
    assert [n.number for n in nodes] == ["I", "Objective 3", "Objective 20", "II"]
    markdown = text_markdown(draft.title, working_nodes(draft))
    assert "## I. Our shared vision" in markdown
    assert "## Objective 20: Promote cheaper remittances" in markdown
    assert "## II. Follow-up and review" in markdown
    again = read_text(markdown, "again.md")
    assert [(e.label, e.text) for e in again.elements if e.kind == "heading"] == headings
