from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stocktake.core.errors import ValidationFailed
from stocktake.process.definition import (
    LANGUAGES,
    default_definition_path,
    load_definition_file,
    parse_definition,
)

GCM = default_definition_path().read_text(encoding="utf-8")


def refused(text: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_definition(text, "bad.toml")
    assert caught.value.source == "bad.toml"
    return [str(p) for p in caught.value.problems]


def test_the_shipped_gcm_definition_is_valid_and_holds_the_reference_facts() -> None:
    gcm = load_definition_file(default_definition_path())
    assert gcm.process.slug == "gcm"
    assert [d.key for d in gcm.dimensions] == [
        "human",
        "community",
        "local",
        "national",
        "regional",
        "global",
    ]
    for dimension in gcm.dimensions:
        assert set(dimension.all_names()) == set(LANGUAGES)
    assert [p.key for p in gcm.phases] == [
        "consultation",
        "stocktaking",
        "negotiation",
        "adoption",
        "follow_up_review",
    ]
    negotiation = next(p for p in gcm.phases if p.key == "negotiation")
    assert negotiation.start == dt.date(2018, 2, 5)
    assert negotiation.end == dt.date(2018, 7, 13)
    assert {t.key for t in gcm.input_types} == {
        "actionable_commitment",
        "means_of_implementation",
        "partnership",
        "follow_up_review",
    }


def test_an_unknown_key_is_named_with_its_line() -> None:
    text = GCM.replace('short_name = "GCM"', 'short_name = "GCM"\ncolour = "blue"')
    problems = refused(text)
    assert problems == ["line 9, process.colour: unknown key"]


def test_a_missing_field_is_named() -> None:
    text = GCM.replace('key = "trade_union"\nname = "Trade union"', 'key = "trade_union"')
    problems = refused(text)
    assert len(problems) == 1
    assert "stakeholder_categories[6].name: required key is missing" in problems[0]
    assert problems[0].startswith("line ")


def test_overlapping_phases_are_refused_naming_both() -> None:
    text = GCM.replace("end = 2018-02-04", "end = 2018-03-01")
    problems = refused(text)
    assert len(problems) == 1
    assert "phases[2]" in problems[0]
    assert "'negotiation'" in problems[0]
    assert "overlaps phase 'stocktaking'" in problems[0]


def test_a_phase_ending_before_it_starts_is_refused() -> None:
    problems = refused(GCM.replace("end = 2017-11-30", "end = 2017-03-30"))
    assert any("phases[0]" in p and "ends (2017-03-30) before it starts" in p for p in problems)


def test_a_dimension_without_its_six_names_is_refused() -> None:
    problems = refused(GCM.replace('zh = "人的层面"\n', ""))
    assert any("dimensions[0]" in p and "names missing for zh" in p for p in problems)


def test_duplicate_keys_are_refused_naming_both_places() -> None:
    problems = refused(GCM.replace('key = "community"', 'key = "human"'))
    assert len(problems) == 1
    assert "dimensions[1].key: duplicate key 'human' (also dimensions[0])" in problems[0]


def test_an_unknown_actor_kind_is_refused() -> None:
    problems = refused(GCM.replace('key = "igo"', 'key = "ngo"'))
    assert len(problems) == 1
    assert "actor_kinds[4]: unknown actor kind 'ngo'" in problems[0]


def test_broken_toml_names_the_line() -> None:
    problems = refused(GCM.replace('slug = "gcm"', 'slug = "gcm'))
    assert len(problems) == 1
    assert "not valid TOML" in problems[0]
    assert "line 6" in problems[0]


def test_a_file_that_is_not_utf8_is_refused(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "latin1.toml"
    path.write_bytes(GCM.replace("GCM", "GCM é").encode("latin-1", errors="replace"))
    with pytest.raises(ValidationFailed, match="not UTF-8"):
        load_definition_file(path)


phase_spans = st.lists(
    st.tuples(st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)), st.integers(0, 400)),
    min_size=1,
    max_size=6,
)


@given(phase_spans)
def test_overlap_detection_agrees_with_a_pairwise_check(spans: list[tuple[dt.date, int]]) -> None:
    phases = "\n".join(
        f'[[phases]]\nkey = "p{i}"\nname = "P{i}"\nstart = {start}\nend = {start + dt.timedelta(days=length)}\n'
        for i, (start, length) in enumerate(spans)
    )
    head, _, rest = GCM.partition("[[phases]]")
    tail = rest[rest.index("[[dimensions]]") :]
    text = f"{head}{phases}\n{tail}"
    intervals = [(s, s + dt.timedelta(days=n)) for s, n in spans]
    overlapping = any(
        a[0] <= b[1] and b[0] <= a[1] for i, a in enumerate(intervals) for b in intervals[i + 1 :]
    )
    if overlapping:
        with pytest.raises(ValidationFailed, match="overlaps"):
            parse_definition(text)
    else:
        assert len(parse_definition(text).phases) == len(spans)


def test_the_gcm_summary_and_intake_keys_give_todays_behaviour() -> None:
    gcm = load_definition_file(default_definition_path())
    assert gcm.summary.opening_meeting_type == "stocktaking_meeting"
    assert [(s.name, s.input_types) for s in gcm.summary_sections()] == [
        ("Actionable commitments", ["actionable_commitment"]),
        ("Means of implementation and partnerships", ["means_of_implementation", "partnership"]),
        ("Follow-up and review", ["follow_up_review"]),
    ]
    for section in gcm.summary_sections():
        assert section.names is not None
        assert all(getattr(section.names, lang) for lang in LANGUAGES if lang != "en")
    assert [p.key for p in gcm.phases if p.open_for_inputs] == [
        "consultation",
        "stocktaking",
        "follow_up_review",
    ]
    assert gcm.closed_for_inputs(dt.date(2017, 6, 1)) is None
    assert gcm.closed_for_inputs(dt.date(2018, 3, 1)) == (
        "the process accepts no inputs on 1 March 2018: the Negotiation phase is not open for inputs"
    )
    assert gcm.closed_for_inputs(dt.date(2016, 1, 1)) == (
        "the process accepts no inputs on 1 January 2016: no phase covers that day"
    )
    assert gcm.actor_kind("un_entity").counted(1) == "1 UN entity"
    assert gcm.actor_kind("un_entity").counted(2) == "2 UN entities"


def test_without_summary_sections_each_input_type_is_a_section() -> None:
    start, end = GCM.index("[summary]"), GCM.index("[[divergences]]")
    definition = parse_definition(GCM[:start] + GCM[end:])
    assert [s.name for s in definition.summary_sections()] == [
        t.name for t in definition.input_types
    ]
    assert definition.summary.opening_meeting_type is None


def test_summary_sections_name_known_input_types_once_and_a_known_meeting_type() -> None:
    text = GCM.replace(
        'input_types = ["follow_up_review"]', 'input_types = ["follow_up_review", "partnership"]'
    ).replace('input_types = ["actionable_commitment"]\n', 'input_types = ["pledge"]\n', 1)
    text = text.replace(
        'opening_meeting_type = "stocktaking_meeting"', 'opening_meeting_type = "summit"'
    )
    problems = refused(text)
    assert any("unknown input type 'pledge'" in p for p in problems)
    assert any("input type 'partnership' is already in summary.sections[1]" in p for p in problems)
    assert any("summary.opening_meeting_type: unknown meeting type 'summit'" in p for p in problems)


def test_the_example_definition_in_the_docs_is_valid() -> None:
    from tests.factories.process import EXAMPLES

    for path in sorted(EXAMPLES.glob("*.toml")):
        definition = load_definition_file(path)
        assert definition.process.slug != "gcm"
        assert definition.summary.sections


def test_without_open_for_inputs_every_day_accepts_inputs() -> None:
    definition = parse_definition(GCM.replace("open_for_inputs = true\n", ""))
    assert definition.closed_for_inputs(dt.date(2018, 3, 1)) is None
    assert definition.closed_for_inputs(dt.date(2040, 1, 1)) is None
    assert definition.phases_open_for_inputs() == definition.phases


def test_the_gcm_definition_holds_its_principles_instruments_frame_and_progress_defaults() -> None:
    gcm = load_definition_file(default_definition_path())
    assert [p.key for p in gcm.principles][:3] == [
        "people_centred",
        "international_cooperation",
        "national_sovereignty",
    ]
    assert len(gcm.principles) == 10
    assert {"ICRMW", "ILO-C189", "CRC"} <= {i.code for i in gcm.instruments}
    assert gcm.frame.source == "A/RES/73/195"
    assert [o.number for o in gcm.frame.objectives] == list(range(1, 24))
    twenty = gcm.frame.objectives[19]
    assert (twenty.paragraph, twenty.sdg_indicators) == ("36", ["10.c.1", "17.3.2"])
    remittances = next(d for d in gcm.progress_defaults if d.indicator == "10.c.1")
    assert (remittances.direction, remittances.target) == ("decrease", 3)


def test_review_tables_are_checked_with_their_lines() -> None:
    def line(text: str, prefix: str, nth: int = 0) -> int:
        return [n for n, t in enumerate(text.splitlines(), 1) if t.startswith(prefix)][nth]

    text = (
        GCM.replace('code = "CAT"', 'code = "cat"')
        .replace('indicator = "8.8.2"', 'indicator = "8.8"')
        .replace('direction = "increase"', 'direction = "up"', 1)
    )
    problems = "\n".join(refused(text))
    for prefix, where in (
        ('code = "cat"', "instruments[5].code"),
        ('indicator = "8.8"', "progress_defaults[3].indicator"),
        ('direction = "up"', "progress_defaults[5].direction"),
    ):
        assert f"line {line(text, prefix)}, {where}: " in problems
    # the cross-checks run once the tables are well formed
    text = GCM.replace('key = "rule_of_law"', 'key = "human_rights"').replace(
        "number = 4\n", "number = 3\n"
    )
    duplicate = 'key = "human_rights"'
    assert refused(text) == [
        f"line {line(text, duplicate, 1)}, principles[5].key: duplicate key 'human_rights' "
        "(also principles[3])",
        f"line {line(text, 'number = 3', 1)}, frame.objectives[3].number: duplicate objective 3 "
        "(also frame.objectives[2])",
    ]


def test_a_process_may_leave_the_review_tables_out() -> None:
    text = GCM[: GCM.index("# Follow-up and review.")]
    definition = parse_definition(text)
    assert definition.principles == []
    assert definition.instruments == []
    assert definition.frame.objectives == []
    assert definition.progress_defaults == []


def test_a_terms_examples_are_checked_naming_the_term() -> None:
    gcm = load_definition_file(default_definition_path())
    assert all(d.examples for d in gcm.dimensions)  # the GCM's dimensions carry examples
    anchor = 'key = "actionable_commitment"\n'
    empty = refused(GCM.replace(anchor, anchor + 'examples = ["city halls", "  "]\n', 1))
    assert any("input_types[0].examples" in p and "example 2 is empty" in p for p in empty)
    long = refused(GCM.replace(anchor, anchor + f'examples = ["{"x" * 301}"]\n', 1))
    assert any("example 1 is longer than 300 characters" in p for p in long)
    twice = refused(GCM.replace(anchor, anchor + 'examples = ["mayors", "mayors"]\n', 1))
    assert any("an example is listed twice" in p for p in twice)
