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
