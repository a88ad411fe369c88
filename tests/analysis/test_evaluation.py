from __future__ import annotations

from pathlib import Path

from stocktake.analysis.evaluation import evaluate
from stocktake.frameworks.sdg import read_sdg_folder
from stocktake.process.definition import default_definition_path, load_definition_file
from tests.conftest import SDG_FRAMEWORK

SET = Path(__file__).resolve().parents[2] / "evaluation" / "gcm-eval.csv"
DEFINITION = load_definition_file(default_definition_path())


def test_the_evaluation_set_is_scored_on_every_measure() -> None:
    report = evaluate(SET, DEFINITION, read_sdg_folder(SDG_FRAMEWORK))
    assert report["inputs"] > 117  # with campaign copies of every third original input
    assert report["ideas"] == 29
    for section in ("duplicates", "dimensions", "input_types", "clusters", "sdg_goals"):
        values = report[section]
        assert isinstance(values, dict)
        for name, value in values.items():
            if name not in ("true_pairs", "found_pairs", "found"):
                assert 0 <= value <= 1, (section, name, value)
    duplicates = report["duplicates"]
    assert isinstance(duplicates, dict)
    assert duplicates["precision"] >= 0.98
    assert duplicates["recall"] >= 0.98


def test_confirmed_tags_make_the_other_tags_better() -> None:
    seeded = evaluate(SET, DEFINITION, None)
    taught = evaluate(SET, DEFINITION, None, confirmed_share=0.3)
    assert "sdg_goals" not in seeded
    assert taught["dimensions"]["accuracy"] > seeded["dimensions"]["accuracy"]  # type: ignore[index]


def test_dimensions_compared_by_meaning_beat_the_word_seeds_alone() -> None:
    # 0.46 on word seeds alone; the meaning of each dimension's description lifts it
    report = evaluate(SET, DEFINITION, None)
    assert report["dimensions"]["accuracy"] >= 0.5  # type: ignore[index]
