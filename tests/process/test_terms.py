from __future__ import annotations

from stocktake.process.definition import default_definition_path, load_definition_file
from stocktake.process.terms import TagSource, TermReader


def test_a_term_is_read_by_key_or_any_name_once_and_an_unknown_one_is_named() -> None:
    reader = TermReader(load_definition_file(default_definition_path()))
    problems: list[tuple[str, str]] = []
    keys = reader.keys(
        "input_types",
        ["Partnership", " alianza ", "partnership", "", "pledge"],
        lambda where, message: problems.append((where, message)),
    )
    assert keys == ["partnership"]
    assert problems == [("input_types", "unknown input type 'pledge'")]


def test_the_secretariat_wins_over_the_submitter_and_the_submitter_over_the_analysis() -> None:
    assert list(TagSource) == [TagSource.SECRETARIAT, TagSource.SUBMITTER, TagSource.ANALYSIS]
    assert TagSource.strongest(
        {TagSource.SUBMITTER: ["human"], TagSource.ANALYSIS: ["global"]}
    ) == (TagSource.SUBMITTER, ["human"])
    assert TagSource.strongest({TagSource.SECRETARIAT: [], TagSource.ANALYSIS: ["global"]}) == (
        TagSource.ANALYSIS,
        ["global"],
    )
    assert TagSource.weakest(["secretariat", "submitter"]) is TagSource.SUBMITTER
    assert TagSource.weakest(["secretariat", "analysis"]) is TagSource.ANALYSIS
    assert TagSource("confirmed") is TagSource.SECRETARIAT  # as runs stored it before
