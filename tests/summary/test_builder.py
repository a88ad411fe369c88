from __future__ import annotations

from stocktake.analysis.pipeline import ActorInfo, Context, Doc, run_pipeline
from stocktake.process.definition import default_definition_path, load_definition_file
from stocktake.summary.builder import from_result, render_markdown

DEFINITION = load_definition_file(default_definition_path())
BIRTH = (
    "Guarantee that every migrant child is registered at birth and holds a legal identity document."
)
BIRTH_ES = (
    "Garantizar que todo niño migrante sea inscrito al nacer y tenga un documento de identidad."
)
SCHOOLS_FR = "Financer des écoles publiques gratuites pour tous les enfants migrants dans les villes d'accueil."


def _doc(key: int, text: str, language: str) -> Doc:
    actor = ActorInfo(f"A{key}", f"Actor {key}", "member_state", "Africa", "african", None)
    return Doc(key=key, actor=actor, text=text, language=language, external_id=f"IN-{key}")


def test_a_statement_speaks_for_its_ideas_with_figures_and_its_sources_in_the_annex() -> None:
    docs = [_doc(k, BIRTH if k % 2 else f"We propose: {BIRTH}", "en") for k in range(8)]
    docs += [_doc(10 + k, BIRTH_ES, "es") for k in range(2)]
    docs += [_doc(20 + k, SCHOOLS_FR, "fr") for k in range(2)]
    docs.append(_doc(30, "Plant more trees along the migration routes.", "en"))
    result = run_pipeline(docs, Context(definition=DEFINITION))
    data = from_result(result, DEFINITION, title="Chair's summary")
    birth = next(s for s in data.statements if "registered at birth" in s.text)
    assert birth.language == ""  # quoted in the summary's language, though Spanish copies joined it
    assert birth.text == BIRTH
    assert birth.support["inputs"] == 10
    assert birth.support["actors"] == 10
    assert birth.support["by_regional_group"] == {"african": 10}
    schools = next(s for s in data.statements if "écoles" in s.text)
    assert schools.language == "fr"
    text = render_markdown(data)
    assert "*(original in French)*" in text
    assert f"Sources: 10 inputs, listed in the annex under S{birth.number}." in text
    annex = text.split("## Annex: sources of each statement", 1)[1]
    assert all(f"IN-{doc.key}" in annex for doc in docs[:10])
    # every input is either behind a statement or named in the annex of inputs not represented
    not_represented = text.split("## Annex: inputs not represented above", 1)[1]
    assert "IN-30" in not_represented
