from __future__ import annotations

import datetime as dt
import re

import pytest

from stocktake.analysis.pipeline import ActorInfo, Context, Doc, run_pipeline
from stocktake.process.definition import default_definition_path, load_definition_file
from stocktake.process.definition.schema import Names, SummaryFrame, SummaryLayout
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
        f"**S{birth.number}** 10 inputs from 10 delegations and organisations: Member State 10; "
        "delegations by regional group: African States 10." in annex
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
    assert "Avec l’appui de 10 délégations de l'Afrique." in body
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


REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")
DETENTION = "End immigration detention of children and provide alternatives that respect dignity."
REMITTANCES = "Reduce the transaction costs of migrant remittances to less than three per cent."
PATHWAYS = "Expand regular pathways for labour migration, family reunification and study."
REPORT = "Publish an annual report on how each state implements the compact."


def _backed(start: int, text: str, governments: int, stakeholders: int) -> list[Doc]:
    """Inputs of one idea from this many governments and stakeholders, over all five regions."""
    docs = []
    for n in range(governments + stakeholders):
        kind = "member_state" if n < governments else "stakeholder"
        region = REGIONS[n % len(REGIONS)]
        category = None if kind == "member_state" else "civil_society"
        actor = ActorInfo(f"A{start + n}", f"Actor {start + n}", kind, region, "african", category)
        docs.append(Doc(key=start + n, actor=actor, text=text, language="en"))
    return docs


def _varied() -> str:
    docs = _backed(0, DETENTION, 2, 14) + _backed(100, REMITTANCES, 9, 2)
    docs += _backed(200, PATHWAYS, 5, 5)
    docs += [_doc(300 + k, REPORT, "en") for k in range(70)]  # African delegations only
    result = run_pipeline(docs, Context(definition=DEFINITION))
    return render_markdown(from_result(result, DEFINITION, title="Chair's summary"))


def test_a_statements_frame_and_support_follow_who_stands_behind_it() -> None:
    text = _varied()
    body = text.split("\n## Annex", 1)[0]
    # mostly stakeholders, mostly governments, both in like numbers: three different frames
    assert "Stakeholders, joined by some delegations, urged: “End immigration detention" in body
    assert "Several delegations and some stakeholders proposed: “Reduce the transaction" in body
    assert "Participants called for action: “Expand regular pathways" in body
    # who, counted by kind; the five regions said once, in the introduction, not per statement
    assert "Supported by 2 delegations and 14 organisations." in body
    assert "Supported by 9 delegations and 2 organisations." in body
    assert "Supported by 5 delegations and 5 organisations." in body
    # 70 of the 107 actors, all delegations, all from one region: many, and the region is said
    assert "Many delegations recommended: “Publish an annual report" in body
    assert "Supported by 70 delegations from Africa." in body
    assert body.count("all five regions") == 1
    assert "Each statement is supported from all five regions unless it names" in body
    assert "civil_society" not in text
    assert "member_state" not in text
    # the annex counts States under their regional groups, and organisations by category
    assert (
        "16 inputs from 16 delegations and organisations: Non-governmental stakeholder 14; Member State 2; "
        "delegations by regional group: African States 2; organisations by category: "
        "Civil society organisation 14."
    ) in text


def test_statements_are_numbered_in_the_order_they_are_read() -> None:
    body = _varied().split("\n## Annex", 1)[0]
    numbers = [int(n) for n in re.findall(r"\(S(\d+)\)", body)]
    assert numbers == sorted(numbers) == list(range(1, len(numbers) + 1))


def test_a_long_proposal_is_cut_at_a_clause_never_on_a_dangling_word() -> None:
    long = (
        "Each state should report voluntarily on its implementation, with national indicators "
        "and the participation of civil society, migrants and local authorities in the review."
    )
    assert proposal(long, set(), limit=120) == (
        "Each state should report voluntarily on its implementation…"
    )
    spanish = (
        "Eliminar las comisiones de contratación que se cobran a los trabajadores migrantes y "
        "regular las agencias de contratación privadas"
    )
    cut = proposal(spanish, set(), limit=110)
    assert cut.endswith("agencias…")  # not "… las agencias de…"


def test_one_delegation_or_organisation_is_counted_in_the_singular() -> None:
    assert Words("en").counted("delegations", 1) == "1 delegation"
    assert Words("en").counted("organisations", 2) == "2 organisations"
    assert Words("fr").counted("delegations", 1936) == "1\u202f936 délégations"
    assert Words("ru").counted("delegations", 21) == "21 делегацией"  # Russian: 21 is singular
    assert Words("ru").counted("delegations", 25) == "25 делегациями"


def test_each_kind_of_support_has_its_frame_and_a_mostly_kind_falls_back_to_mixed() -> None:
    kinds = ("governments", "mostly_governments", "mixed", "mostly_stakeholders", "stakeholders")
    for language in ("en", "fr", "es", "ar", "ru", "zh"):
        several = {DEFINITION.summary.frame("follow_up_review", k, language) for k in kinds}
        many = {DEFINITION.summary.frame("follow_up_review", k, language, 0.5) for k in kinds}
        assert len(several) == len(many) == len(kinds)
        assert not several & many
    only_mixed = SummaryLayout(
        frames=[
            SummaryFrame(
                support="mixed",
                text=Names(en="All said", fr="Tous ont dit", es="x", ar="x", ru="x", zh="x"),
            )
        ]
    )
    assert only_mixed.frame("partnership", "mostly_governments", "fr") == "Tous ont dit"
    assert only_mixed.frame("partnership", "governments", "en") == "Several delegations proposed"


def test_a_chinese_summary_puts_no_space_between_its_sentences() -> None:
    result = run_pipeline(_docs(), Context(definition=DEFINITION))
    text = render_markdown(from_result(result, DEFINITION, title="主席总结", language="zh"))
    body = text.split("\n## 附件", 1)[0]
    assert "（原文为英文）。得到来自非洲的10个代表团的支持。（S" in body
    assert "。 " not in body


def test_the_inputs_count_their_submitters_apart_from_the_participants() -> None:
    """Participants are people registered to a meeting; the inputs are counted by the actors who
    submitted them, in words that cannot be taken for the participants."""
    for language, submitters in {
        "en": "delegations and organisations",
        "fr": "délégations et organisations",
        "es": "delegaciones y organizaciones",
        "ar": "الوفود والمنظمات",
        "ru": "делегаций и организаций",
        "zh": "代表团和组织",
    }.items():
        words = Words(language)
        for said in (
            words("sources_line", inputs=9, actors=5),
            words("draws_on", inputs=9, actors=5),
        ):
            assert submitters in said, (language, said)
