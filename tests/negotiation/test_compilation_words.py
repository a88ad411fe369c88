"""The compilation text's fixed words in the language of its text: a French draft's compilation
says who supports and who objects, what is late, what it compiles and what is agreed in French;
in each of the six languages it labels the alternative texts and the proposals to delete or move
a paragraph in the language of the text."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from docx import Document
from lxml import etree

from stocktake.negotiation.formats.akn import AKN
from stocktake.negotiation.formats.akn_papers import compilation_akn
from stocktake.negotiation.formats.compilation import compile_text
from stocktake.negotiation.formats.writing import (
    compilation_document,
    compilation_docx,
    compilation_markdown,
)
from stocktake.negotiation.services.queries import AmendmentView
from stocktake.negotiation.text import Node, number_nodes

NODES = number_nodes(
    [
        Node("para_1", "paragraph", "Le présent pacte énonce une vision commune.", "agreed_ad_ref"),
        Node("para_2", "paragraph", "Nous nous engageons à partager les données.", "open"),
    ]
)


def _amendment() -> AmendmentView:
    return replace(
        _on_words(1, "replace", "partager", "échanger", ["MEX"]),
        supporters=["CAN"],
        objectors=["RG-GRULAC"],
        late=True,
        names={"MEX": "Mexique", "CAN": "Canada", "RG-GRULAC": "GRULAC"},
    )


def test_a_french_compilation_says_its_fixed_words_in_french() -> None:
    compilation = compile_text("Un pacte", NODES, [_amendment()], "fr")
    compilation.made_on = dt.date(2026, 12, 7)
    markdown = compilation_markdown(compilation)
    assert markdown.startswith("# Un pacte\n\nTexte de compilation\n")
    assert "Compilation des amendements reçus au 7 décembre 2026" in markdown
    assert (
        "Mexique\u202f; appui\u202f: Canada\u202f; objection\u202f: GRULAC\u202f; en retard A1"
        in markdown
    )
    assert "_(convenu ad ref.)_" in markdown
    for english in ("supported by", "opposed by", "late", "(open)", "(ouvert)", "agreed"):
        assert english not in markdown, english
    document = Document(io.BytesIO(compilation_docx(compilation)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "Mexique\u202f; appui\u202f: Canada\u202f; objection\u202f: GRULAC\u202f; en retard A1"
        in text
    )
    assert "(convenu ad ref.)" in text


def _proposal(
    number: int, kind: str, new_text: str = "", destination: str | None = None
) -> AmendmentView:
    return AmendmentView(
        number,
        kind,
        "para_2",
        "",
        1,
        "after",
        new_text,
        "paragraph",
        destination,
        None,
        False,
        "",
        "proposed",
        ["RG-GRULAC"],
        [],
        [],
        names={"RG-GRULAC": "GRULAC"},
    )


PROPOSALS = [
    _proposal(1, "alternative", "Nous partageons les données."),
    _proposal(2, "alternative", "Les données sont partagées."),
    _proposal(3, "delete_paragraph"),
    _proposal(4, "move_paragraph", destination="para_1"),
]
"""Two alternative texts of paragraph 2, a proposal to delete it and one to move it after 1."""

SAID = {
    "en": ("Alt 1", "Alt 2", "delete the paragraph", "move after 1"),
    "fr": ("Variante 1", "Variante 2", "supprimer le paragraphe", "déplacer après 1"),
    "es": ("Alternativa 1", "Alternativa 2", "suprimir el párrafo", "trasladar después de 1"),
    "ar": ("البديل 1", "البديل 2", "حذف الفقرة", "نقلها بعد 1"),
    "ru": ("Вариант 1", "Вариант 2", "исключить пункт", "перенести после 1"),
    "zh": ("备选案文1", "备选案文2", "删除该段落", "移至 1 之后"),
}
COLON = {"fr": "\u202f: ", "zh": "："}
"""After the sponsors of a proposal and after an alternative's label: a narrow no-break space
before the colon in French."""


@pytest.mark.parametrize("language", sorted(SAID))
def test_alternatives_and_proposals_on_a_paragraph_are_labelled_in_the_texts_language(
    language: str,
) -> None:
    """Alt 1, "delete the paragraph" and "move after 1" in the language of the text, in every
    paper the compilation is written as; in English exactly as before."""
    compilation = compile_text("Un pacte", NODES, PROPOSALS, language)
    first, second, deleted, moved = SAID[language]
    colon = COLON.get(language, ": ")
    markdown = compilation_markdown(compilation)
    assert f"{first}{colon}[Nous partageons les données.]^(GRULAC A1)" in markdown
    assert f"{second}{colon}[Les données sont partagées.]^(GRULAC A2)" in markdown
    assert f"[GRULAC{colon}{deleted}] (A3)" in markdown
    assert f"[GRULAC{colon}{moved}] (A4)" in markdown
    html = compilation_document(compilation)
    assert f'<span class="num">{first}</span>' in html
    assert f"[GRULAC{colon}{deleted}]" in html
    assert f"[GRULAC{colon}{moved}]" in html
    document = Document(io.BytesIO(compilation_docx(compilation)))
    lines = [p.text for p in document.paragraphs]
    assert f"{first}\t[Nous partageons les données.]GRULAC A1" in lines
    assert f"{second}\t[Les données sont partagées.]GRULAC A2" in lines
    assert f"[GRULAC{colon}{deleted}] (A3)" in lines
    assert f"[GRULAC{colon}{moved}] (A4)" in lines
    root = etree.fromstring(
        compilation_akn(
            compilation, process="p", draft_id=1, language=language, date=dt.date(2026, 12, 7)
        )
    )
    said = [" ".join("".join(p.itertext()).split()) for p in root.iter(f"{{{AKN}}}p")]
    assert " ".join(f"{first}{colon}[Nous partageons les données.]GRULAC A1".split()) in said
    assert " ".join(f"[GRULAC{colon}{deleted}] (A3)".split()) in said  # spaces made plain
    if language != "en":
        for english in ("Alt ", "delete the paragraph", "move after"):
            for paper in (markdown, html, "\n".join(lines), "\n".join(said)):
                assert english not in paper, english


def _on_words(
    number: int, kind: str, quoted: str, new_text: str, sponsors: list[str]
) -> AmendmentView:
    return AmendmentView(
        number,
        kind,
        "para_2",
        quoted,
        1,
        "after",
        new_text,
        "paragraph",
        None,
        None,
        False,
        "",
        "proposed",
        sponsors,
        names={"MEX": "Mexique", "PHL": "Philippines", "RG-GRULAC": "GRULAC"},
    )


OVERLAPPING = [
    _on_words(1, "replace", "partager les données", "échanger", ["MEX", "PHL (to confirm)"]),
    _on_words(2, "replace", "les données", "l'information", ["RG-GRULAC"]),
    _on_words(3, "insert", "données", "ouvertes", ["RG-GRULAC"]),
    _on_words(4, "delete", "les", "", ["RG-GRULAC"]),
]
"""Words proposed on paragraph 2 by Mexico with the Philippines (named by the secretariat, not
confirmed), and three proposals by GRULAC on words the first already touches."""


def test_overlapping_proposals_and_co_sponsors_to_confirm_in_the_texts_language() -> None:
    """Proposals listed under their paragraph because they overlap another, and a co-sponsor
    still to confirm, in French in a French text; in English in an English one."""
    french = compile_text("Un pacte", NODES, OVERLAPPING, "fr")
    lines = [p.text for p in Document(io.BytesIO(compilation_docx(french))).paragraphs]
    assert any(
        "[partager les données échanger]Mexique, Philippines (à confirmer) A1" in line
        for line in lines
    )
    assert "[GRULAC\u202f: remplacer « les données » par « l'information »] (A2)" in lines
    assert "[GRULAC\u202f: insérer « ouvertes » après « données »] (A3)" in lines
    assert "[GRULAC\u202f: supprimer « les »] (A4)" in lines
    for english in ("to confirm", "replace", "insert", "delete"):
        assert english not in "\n".join(lines), english
    english_text = compile_text("A compact", NODES, OVERLAPPING, "en")
    html = compilation_document(english_text)
    assert "Mexique, Philippines (to confirm) A1" in html
    assert "[GRULAC: replace &quot;les données&quot; with &quot;l&#x27;information&quot;]" in html
    assert "[GRULAC: insert &quot;ouvertes&quot; after &quot;données&quot;]" in html
    assert "[GRULAC: delete &quot;les&quot;]" in html


def test_a_proposal_in_conflict_with_the_text_is_listed_in_the_texts_language() -> None:
    """A proposal whose words are no longer in the paragraph is listed under it, with why, in
    the language of the text."""
    gone = _on_words(5, "replace", "les informations", "les faits", ["MEX"])
    french = compile_text("Un pacte", NODES, [gone], "fr")
    lines = [p.text for p in Document(io.BytesIO(compilation_docx(french))).paragraphs]
    assert (
        "A5 est en conflit avec le texte : les mots 'les informations' ne figurent plus dans 2"
        in lines
    )
    html = compilation_document(french)
    assert "A5 (Mexique) est en conflit avec le texte : les mots" in html
    root = etree.fromstring(
        compilation_akn(french, process="p", draft_id=1, language="fr", date=dt.date(2026, 12, 7))
    )
    conflicts = [
        "".join(e.itertext()) for e in root.iter(f"{{{AKN}}}inline") if e.get("name") == "conflict"
    ]
    assert conflicts == [
        "A5 (Mexique) est en conflit avec le texte : les mots 'les informations' ne figurent "
        "plus dans 2"
    ]
    english = compilation_markdown(compile_text("A compact", NODES, [gone], "en"))
    assert (
        "A5 is in conflict with the text: the words 'les informations' are no longer in 2"
        in english
    )
