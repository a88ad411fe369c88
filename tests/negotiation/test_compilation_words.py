"""The compilation text's fixed words in the language of its text: a French draft's compilation
says who supports and who objects, what is late, what it compiles and what is agreed in French."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from stocktake.negotiation.formats.compilation import compile_text
from stocktake.negotiation.formats.writing import compilation_docx, compilation_markdown
from stocktake.negotiation.services.queries import AmendmentView
from stocktake.negotiation.text import Node, number_nodes

NODES = number_nodes(
    [
        Node("para_1", "paragraph", "Le présent pacte énonce une vision commune.", "agreed_ad_ref"),
        Node("para_2", "paragraph", "Nous nous engageons à partager les données.", "open"),
    ]
)


def _amendment() -> AmendmentView:
    return AmendmentView(
        1,
        "replace",
        "para_2",
        "partager",
        1,
        "after",
        "échanger",
        "paragraph",
        None,
        None,
        False,
        "",
        "proposed",
        ["MEX"],
        ["CAN"],
        ["RG-GRULAC"],
        late=True,
        names={"MEX": "Mexique", "CAN": "Canada", "RG-GRULAC": "GRULAC"},
    )


def test_a_french_compilation_says_its_fixed_words_in_french() -> None:
    compilation = compile_text("Un pacte", NODES, [_amendment()], "fr")
    compilation.made_on = dt.date(2026, 12, 7)
    markdown = compilation_markdown(compilation)
    assert markdown.startswith("# Un pacte\n\nTexte de compilation\n")
    assert "Compilation des amendements reçus au 7 décembre 2026" in markdown
    assert "Mexique; appui : Canada; objection : GRULAC; en retard A1" in markdown
    assert "_(convenu ad ref.)_" in markdown
    for english in ("supported by", "opposed by", "late", "(open)", "(ouvert)", "agreed"):
        assert english not in markdown, english
    document = Document(io.BytesIO(compilation_docx(compilation)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Mexique; appui : Canada; objection : GRULAC; en retard A1" in text
    assert "(convenu ad ref.)" in text
