"""Language versions: a revision in the six languages, aligned element by element through the
stable identities; refused whole when they do not align; never silently replaced once issued."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.audit.models import AuditEvent
from stocktake.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from stocktake.negotiation.exports import export_comparison, export_text
from stocktake.negotiation.formats.reading import ParsedElement, read_draft, read_text
from stocktake.negotiation.models import AmendmentStatus, Draft, ElementKind, LanguageVersion
from stocktake.negotiation.services import (
    AmendmentData,
    add_language_version,
    decide_amendment,
    import_draft,
    issue_revision,
    nodes_in,
    propose_amendment,
    revision_nodes,
)
from stocktake.negotiation.services.languages import misalignment
from stocktake.negotiation.text import Node
from stocktake.process.services import get_process
from tests.factories.accounts import member_of
from tests.negotiation.conftest import AKN, SYSTEM, eid_of

FRENCH = """# Un pacte de coopération

Rappelant la Charte des Nations Unies[^1],

Reconnaissant que les migrations sont une responsabilité partagée,

## Vision

1. Le présent pacte énonce une conception commune de migrations sûres et ordonnées.

2. Le pacte repose sur les buts et principes de la Charte.
(a) axé sur la personne ;
(b) coopération internationale ;

## Objectifs

3. Nous nous engageons à collecter des données et à les partager avec nos partenaires.

4. Nous nous engageons à fournir des informations exactes à toutes les étapes de la migration.

[^1]: Signée à San Francisco le 26 juin 1945.
"""

ARABIC = """# ميثاق للتعاون

إذ نشير إلى ميثاق الأمم المتحدة[^1]،

وإذ نسلم بأن الهجرة مسؤولية مشتركة،

## الرؤية

1. يحدد هذا الميثاق فهماً مشتركاً للهجرة الآمنة والمنظمة.

2. يستند الميثاق إلى مقاصد الميثاق ومبادئه.
(a) محوره الإنسان؛
(b) التعاون الدولي؛

## الأهداف

3. نلتزم بجمع البيانات وتبادلها مع الشركاء.

4. نلتزم بتوفير معلومات دقيقة في جميع مراحل الهجرة.

[^1]: وُقّع في سان فرانسيسكو في 26 حزيران/يونيه 1945.
"""


def _issued(session: Session, draft: Draft) -> int:
    return issue_revision(session, draft, by=SYSTEM).number


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_revision_reads_in_french_element_by_element(
    bare_session: Session, bare_draft: Draft
) -> None:
    number = _issued(bare_session, bare_draft)
    revision = bare_draft.revisions[0]
    original = [dict(e) for e in revision.elements]
    version = add_language_version(
        bare_session, bare_draft, "fr", read_text(FRENCH), revision=number, by=SYSTEM
    )
    assert version.edition == 1
    assert [t["eid"] for t in version.texts] == [n.eid for n in revision_nodes(revision)]
    nodes, title = nodes_in(bare_session, bare_draft, revision, "fr")
    assert title == "Un pacte de coopération"
    english = revision_nodes(revision)
    assert [(n.eid, n.kind, n.number) for n in nodes] == [
        (n.eid, n.kind, n.number) for n in english
    ]
    paragraph = next(n for n in nodes if n.eid == eid_of(bare_draft, "2"))
    assert paragraph.text == "Le pacte repose sur les buts et principes de la Charte."
    note = next(n for n in nodes if n.kind == ElementKind.FOOTNOTE)
    assert note.origin["after"] == "Rappelant la Charte des Nations Unies"
    # the issued revision's own text never changes
    bare_session.refresh(revision)
    assert revision.elements == original
    (event,) = _events(bare_session, "negotiation:language:add")
    assert "French version of Zero draft: edition 1" in event.summary


def test_a_version_that_does_not_align_is_refused_naming_the_first_element(
    bare_session: Session, bare_draft: Draft
) -> None:
    number = _issued(bare_session, bare_draft)
    missing_point = FRENCH.replace("(b) coopération internationale ;\n", "")
    with pytest.raises(ValidationFailed) as refused:
        add_language_version(
            bare_session, bare_draft, "fr", read_text(missing_point), revision=number, by=SYSTEM
        )
    (problem,) = refused.value.problems
    assert problem.where == "element 8"
    assert "Zero draft has point (b)" in problem.message
    assert "the version a heading" in problem.message
    assert "French version of Zero draft" in refused.value.source
    shorter = FRENCH.split("4. Nous", maxsplit=1)[0] + "[^1]: Signée à San Francisco.\n"
    with pytest.raises(ValidationFailed) as refused:
        add_language_version(
            bare_session, bare_draft, "fr", read_text(shorter), revision=number, by=SYSTEM
        )
    (problem,) = refused.value.problems
    assert problem.where == "element 11"
    assert "the version ends before paragraph 4" in problem.message
    assert bare_session.scalar(select(LanguageVersion.id)) is None


def test_a_language_the_process_does_not_offer_or_an_unknown_revision_is_refused(
    bare_session: Session, bare_draft: Draft
) -> None:
    number = _issued(bare_session, bare_draft)
    parsed = read_text(FRENCH)
    with pytest.raises(ValidationFailed, match="does not offer 'de'; choose one of en, fr"):
        add_language_version(bare_session, bare_draft, "de", parsed, revision=number, by=SYSTEM)
    with pytest.raises(ValidationFailed, match="written in English: its text is the original"):
        add_language_version(bare_session, bare_draft, "en", parsed, revision=number, by=SYSTEM)
    with pytest.raises(NotFound, match="revision 7 does not exist"):
        add_language_version(bare_session, bare_draft, "fr", parsed, revision=7, by=SYSTEM)
    delegation = member_of(bare_session, "MEX")
    with pytest.raises(PermissionDenied):
        add_language_version(bare_session, bare_draft, "fr", parsed, revision=number, by=delegation)
    assert bare_session.scalar(select(LanguageVersion.id)) is None
    with pytest.raises(NotFound, match="Zero draft has no Russian version; it is in English"):
        nodes_in(bare_session, bare_draft, bare_draft.revisions[0], "ru")


def test_an_issued_version_is_replaced_only_by_a_new_edition_that_says_so(
    bare_session: Session, bare_draft: Draft
) -> None:
    number = _issued(bare_session, bare_draft)
    first = add_language_version(
        bare_session, bare_draft, "fr", read_text(FRENCH), revision=number, by=SYSTEM
    )
    corrected = FRENCH.replace("ordonnées", "ordonnées et régulières")
    with pytest.raises(Conflict, match=r"exists already \(edition 1"):
        add_language_version(
            bare_session, bare_draft, "fr", read_text(corrected), revision=number, by=SYSTEM
        )
    second = add_language_version(
        bare_session,
        bare_draft,
        "fr",
        read_text(corrected),
        revision=number,
        replace=True,
        note="corrigendum",
        by=SYSTEM,
    )
    assert (first.edition, second.edition) == (1, 2)
    nodes, _ = nodes_in(bare_session, bare_draft, bare_draft.revisions[0], "fr")
    assert any("ordonnées et régulières" in n.text for n in nodes)
    bare_session.refresh(first)
    assert not any("régulières" in t["text"] for t in first.texts)  # the first edition is kept
    first.note = "changed"
    with pytest.raises(Conflict, match="never changes"):
        bare_session.flush()
    bare_session.rollback()
    (event,) = _events(bare_session, "negotiation:language:replace")
    assert "edition 2" in event.summary
    assert "replacing edition 1" in event.summary


def test_the_working_text_has_versions_that_follow_it(
    bare_session: Session, bare_draft: Draft
) -> None:
    first = add_language_version(
        bare_session, bare_draft, "fr", read_text(FRENCH), revision=None, by=SYSTEM
    )
    again = add_language_version(
        bare_session, bare_draft, "fr", read_text(FRENCH), revision=None, by=SYSTEM
    )
    assert (first.revision_number, first.edition, again.edition) == (None, 1, 2)
    nodes, _ = nodes_in(bare_session, bare_draft, None, "fr")
    assert nodes[0].text == "Rappelant la Charte des Nations Unies,"


def test_versions_follow_identities_across_a_revision_that_moves_paragraphs(
    bare_session: Session, bare_draft: Draft
) -> None:
    _issued(bare_session, bare_draft)
    move = propose_amendment(
        bare_session,
        bare_draft,
        AmendmentData(
            kind="move_paragraph",
            target=eid_of(bare_draft, "4"),
            destination=eid_of(bare_draft, "2"),
            sponsor="MEX",
        ),
        by=SYSTEM,
    )
    decide_amendment(bare_session, bare_draft, move, AmendmentStatus.ACCEPTED, by=SYSTEM)
    rev1 = issue_revision(bare_session, bare_draft, by=SYSTEM)
    moved = FRENCH.replace(
        "## Objectifs\n\n3. Nous nous engageons à collecter des données et à les partager avec "
        "nos partenaires.\n\n4. Nous nous engageons à fournir des informations exactes à toutes "
        "les étapes de la migration.\n",
        "3. Nous nous engageons à fournir des informations exactes à toutes les étapes de la "
        "migration.\n\n## Objectifs\n\n4. Nous nous engageons à collecter des données et à les "
        "partager avec nos partenaires.\n",
    )
    add_language_version(bare_session, bare_draft, "fr", read_text(FRENCH), revision=0, by=SYSTEM)
    add_language_version(bare_session, bare_draft, "fr", read_text(moved), revision=1, by=SYSTEM)
    rows = [
        r
        for r in export_comparison(bare_draft, bare_draft.revisions[0], rev1, "md", language="fr")
        .content.decode()
        .splitlines()
        if r
    ]
    assert any("fournir des informations exactes" in r and "déplacé" in r for r in rows), rows
    assert not any("~~" in r for r in rows)  # the same words: moved, not rewritten


def test_exports_in_a_language_say_so_and_arabic_reads_right_to_left(
    bare_session: Session, bare_draft: Draft
) -> None:
    number = _issued(bare_session, bare_draft)
    revision = bare_draft.revisions[0]
    process = get_process(bare_session)
    for code, text in (("fr", FRENCH), ("ar", ARABIC)):
        add_language_version(
            bare_session, bare_draft, code, read_text(text), revision=number, by=SYSTEM
        )
    akn = export_text(process, bare_draft, revision, "akn", language="fr")
    assert akn.name.endswith("-fr.xml")
    root = etree.fromstring(akn.content)
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for part in ("preface", "preamble", "mainBody"):
        assert root.find(f"a:statement/a:{part}", ns).get(lang) == "fr"
    assert root.find(".//a:FRBRlanguage", ns).get("language") == "fra"
    assert "Le pacte repose sur les buts" in akn.content.decode()
    schema = etree.XMLSchema(etree.parse(str(AKN / "akomantoso30.xsd")))
    assert schema.validate(root), schema.error_log
    markdown = export_text(process, bare_draft, revision, "md", language="fr").content.decode()
    assert markdown.startswith("# Un pacte de coopération (Zero draft)")
    assert "Rappelant la Charte des Nations Unies[^1]," in markdown
    html = export_text(process, bare_draft, revision, "html", language="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    docx = export_text(process, bare_draft, revision, "docx", language="ar").content
    body = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paragraphs = [p for p in etree.fromstring(body).iter(f"{w}p") if "".join(p.itertext())]
    assert paragraphs
    assert all(p.find(f"{w}pPr/{w}bidi") is not None for p in paragraphs)
    assert "يستند الميثاق" in body.decode()
    french_docx = export_text(process, bare_draft, revision, "docx", language="fr").content
    assert b"w:bidi" not in zipfile.ZipFile(io.BytesIO(french_docx)).read("word/document.xml")
    english = export_text(process, bare_draft, revision, "md").content.decode()
    assert "Recalling the Charter" in english
    with pytest.raises(NotFound, match="no Chinese version"):
        export_text(process, bare_draft, revision, "md", language="zh")


KINDS = st.sampled_from(list(ElementKind))


@settings(max_examples=200)
@given(st.lists(KINDS, max_size=12), st.lists(KINDS, max_size=12))
def test_a_version_aligns_exactly_when_its_kinds_follow_the_text(
    ours: list[ElementKind], theirs: list[ElementKind]
) -> None:
    nodes = [Node(f"e_{i}", kind.value, "words", number=str(i)) for i, kind in enumerate(ours)]
    elements = [ParsedElement(kind, "mots") for kind in theirs]
    problem = misalignment(nodes, elements, "Rev.1")
    if ours == theirs:
        assert problem is None
        return
    assert problem is not None
    first = next(
        (i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b),
        min(len(ours), len(theirs)),
    )
    assert problem.where == f"element {first + 1}"


OBJECTIVES = """# Objectives

Recalling the Charter,

## Objective 1: Collect data

1. We commit to collect data.

## Objective 2: Inform migrants

2. We commit to inform migrants.
"""


def test_headings_keep_their_own_numbers_in_every_script(bare_session: Session) -> None:
    process = get_process(bare_session)
    draft = import_draft(bare_session, process, read_text(OBJECTIVES), by=SYSTEM, source="o.md")
    number = _issued(bare_session, draft)
    russian = OBJECTIVES.replace("# Objectives", "# Цели").replace(
        "Recalling the Charter,", "Ссылаясь на Устав,"
    )
    russian = russian.replace("Objective 1: Collect data", "Цель 1: Сбор данных")
    russian = russian.replace("Objective 2: Inform migrants", "Цель 2: Информирование мигрантов")
    add_language_version(bare_session, draft, "ru", read_text(russian), revision=number, by=SYSTEM)
    nodes, _ = nodes_in(bare_session, draft, draft.revisions[0], "ru")
    headings = [(n.number, n.text) for n in nodes if n.kind == ElementKind.HEADING]
    assert headings == [("Цель 1", "Сбор данных"), ("Цель 2", "Информирование мигрантов")]
    arabic = OBJECTIVES.replace("Objective 1: Collect data", "الهدف ١: جمع البيانات")
    arabic = arabic.replace("Objective 2: Inform migrants", "الهدف ٢: إعلام المهاجرين")
    add_language_version(bare_session, draft, "ar", read_text(arabic), revision=number, by=SYSTEM)
    nodes, _ = nodes_in(bare_session, draft, draft.revisions[0], "ar")
    assert [n.number for n in nodes if n.kind == ElementKind.HEADING] == ["الهدف ١", "الهدف ٢"]
    chinese = OBJECTIVES.replace("Objective 2: Inform migrants", "目标3：向移民提供信息")
    with pytest.raises(ValidationFailed) as refused:
        add_language_version(
            bare_session, draft, "zh", read_text(chinese), revision=number, by=SYSTEM
        )
    (problem,) = refused.value.problems
    assert problem.where == "element 4"
    assert "Zero draft has heading Objective 2" in problem.message
    assert "the version '目标3'" in problem.message


def test_a_version_is_read_from_docx_as_from_markdown(
    bare_session: Session, bare_draft: Draft
) -> None:
    number = _issued(bare_session, bare_draft)
    revision = bare_draft.revisions[0]
    first = add_language_version(
        bare_session, bare_draft, "fr", read_text(FRENCH), revision=number, by=SYSTEM
    )
    docx = export_text(get_process(bare_session), bare_draft, revision, "docx", language="fr")
    again = add_language_version(
        bare_session,
        bare_draft,
        "fr",
        read_draft(docx.content, docx.name),
        revision=number,
        replace=True,
        source=docx.name,
        by=SYSTEM,
    )
    assert again.edition == 2
    assert [t["text"] for t in again.texts] == [t["text"] for t in first.texts]
    assert again.title == "Un pacte de coopération"
