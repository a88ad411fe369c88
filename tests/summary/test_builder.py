from __future__ import annotations

import datetime as dt

import pytest

from stocktake.analysis.pipeline import ActorInfo, Context, Doc, run_pipeline
from stocktake.process.definition import default_definition_path, load_definition_file
from stocktake.summary.builder import Words, body_words, from_result, render_markdown
from stocktake.summary.builder.prose import boilerplate, proposal

DEFINITION = load_definition_file(default_definition_path())
BIRTH = (
    "Guarantee that every migrant child is registered at birth and holds a legal identity document."
)
BIRTH_ES = (
    "Garantizar que todo niño migrante sea inscrito al nacer y tenga un documento de identidad."
)
SCHOOLS_FR = "Financer des écoles publiques gratuites pour tous les enfants migrants dans les villes d'accueil."
WELLS_ES = (
    "Construir pozos de agua potable en todos los campamentos de tránsito de la ruta migratoria."
)


def _doc(key: int, text: str, language: str, kind: str = "member_state") -> Doc:
    actor = ActorInfo(f"A{key}", f"Actor {key}", kind, "Africa", "african", None)
    return Doc(key=key, actor=actor, text=text, language=language, external_id=f"IN-{key}")


def _docs() -> list[Doc]:
    docs = [_doc(k, BIRTH if k % 2 else f"We propose: {BIRTH}", "en") for k in range(8)]
    docs += [_doc(10 + k, BIRTH_ES, "es") for k in range(2)]
    docs += [_doc(20 + k, SCHOOLS_FR, "fr") for k in range(2)]
    docs += [_doc(40 + k, WELLS_ES, "es") for k in range(2)]
    docs.append(_doc(30, "Plant more trees along the migration routes.", "en"))
    return docs


def test_statements_are_prose_framed_by_what_participants_did() -> None:
    docs = _docs()
    result = run_pipeline(docs, Context(definition=DEFINITION))
    data = from_result(result, DEFINITION, title="Chair's summary")
    birth = next(s for s in data.statements if "registered at birth" in s.text)
    assert birth.language == ""  # quoted in the summary's language, though Spanish copies joined it
    assert birth.text == BIRTH  # the lead-in "We propose:" is not quoted
    assert birth.support["inputs"] == 10
    assert birth.support["by_regional_group"] == {"african": 10}
    text = render_markdown(data)
    body = text.split("\n## Annex", 1)[0]
    # 10 of the 15 actors: many; governments only; from one region, which is said
    assert f"Many delegations proposed: “{BIRTH.rstrip('.')}”." in body
    assert "Supported by 10 delegations from Africa." in body
    assert "We propose" not in body
    # ideas with no input in English are quoted in the annex only, their language named
    assert "écoles" not in body
    assert "Construir pozos" not in body
    assert "a proposal written in French, quoted in the annex" in body
    assert "a proposal written in Spanish, quoted in the annex" in body
    annex = text.split("## Annex: sources of each statement", 1)[1]
    assert "Construir pozos" in annex
    assert (
        f"**S{birth.number}** 10 inputs from 10 participants: Member State 10; African States 10."
        in annex
    )
    assert "african" not in text
    # every input is either behind a statement or named in the annex of inputs not represented
    not_represented = text.split("## Annex: inputs not represented above", 1)[1]
    assert "IN-30" in not_represented


def test_a_french_summary_speaks_french_and_quotes_english_with_its_language_named() -> None:
    result = run_pipeline(_docs(), Context(definition=DEFINITION))
    text = render_markdown(from_result(result, DEFINITION, title="Résumé", language="fr"))
    body = text.split("\n## Annex", 1)[0]
    assert "Plusieurs délégations ont proposé : « Financer des écoles" in body
    assert "(original en anglais)" in body  # the birth idea has no French input
    assert "Appuyé par 10 délégations de l'Afrique." in body
    assert "## Annexe : sources de chaque déclaration" in text
    assert "États d'Afrique 10" in text
    assert "Construir pozos" not in body
    assert body_words(text) < 200


def test_boilerplate_shared_by_different_ideas_is_not_quoted() -> None:
    filler = "This is essential for the 2030 Agenda for Sustainable Development."
    texts = [(0, f"End child detention. {filler}"), (1, f"Fund cities. {filler}"), (2, filler)]
    common = boilerplate(texts)
    assert proposal(f"End child detention now. {filler}", common) == "End child detention now."
    assert proposal("We call on States to ratify the conventions.", set()) == (
        "Ratify the conventions."
    )
    assert proposal("We, migrants, ask States to end detention and to provide care.", set()) == (
        "End detention and provide care."
    )


def test_numbers_are_written_as_the_language_writes_them() -> None:
    assert Words("en").number(1936) == "1,936"
    assert Words("fr").number(1936) == "1\u202f936"
    assert Words("es").number(1936) == "1936"
    assert Words("es").number(12936) == "12.936"


@pytest.mark.parametrize(
    ("language", "same_month", "across_months"),
    [
        ("en", "4–6 December 2017", "30 November – 2 December 2017"),
        ("fr", "4–6 décembre 2017", "30 novembre – 2 décembre 2017"),
        ("es", "4 a 6 de diciembre de 2017", "30 de noviembre a 2 de diciembre de 2017"),
        ("ru", "4–6 декабря 2017 года", "30 ноября – 2 декабря 2017 года"),
        ("ar", "4-6 كانون الأول/ديسمبر 2017", "30 تشرين الثاني/نوفمبر - 2 كانون الأول/ديسمبر 2017"),
        ("zh", "2017年12月4日至6日", "2017年11月30日至12月2日"),
    ],
)
def test_a_meetings_dates_are_written_as_its_language_writes_them(
    language: str, same_month: str, across_months: str
) -> None:
    words = Words(language)
    assert words.dates(dt.date(2017, 12, 4), dt.date(2017, 12, 6)) == same_month
    assert words.dates(dt.date(2017, 11, 30), dt.date(2017, 12, 2)) == across_months
    assert "2017" in words.dates(dt.date(2017, 12, 4), dt.date(2017, 12, 4))
