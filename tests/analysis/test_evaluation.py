from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from stocktake.analysis.evaluation import evaluate
from stocktake.cli import app
from stocktake.frameworks.sdg import read_sdg_folder, without
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
    # 0.73 before the dimensions' examples, 0.78 with them, 0.756 with the classifier that learns
    # from the run (better on the tuning sets' proxy for confirmation: evaluation/README.md), 0.764
    # with each wording blended with the other wordings of its idea; on the adjudicated labels 0.805
    # with the descriptions stating the labelling convention's tests
    assert taught["dimensions"]["accuracy"] >= 0.79  # type: ignore[index]


def test_dimensions_compared_by_meaning_beat_the_word_seeds_alone() -> None:
    # 0.46 on word seeds alone, 0.53 with the meaning of each dimension's name and description,
    # 0.57 with the phrases the description lists and the keywords compared by meaning too, 0.55
    # with the dimensions' examples too (better on the tuning sets and once tags are confirmed),
    # 0.59 with a classifier learned from the definition's texts and the run's surest ideas, 0.61
    # with each wording blended with the other wordings of its idea; on the labels adjudicated by the
    # labelling convention 0.70, and 0.76 with the descriptions stating its tests (the first labels,
    # scored beside them: 0.64)
    report = evaluate(SET, DEFINITION, None)
    assert report["dimensions"]["accuracy"] >= 0.75  # type: ignore[index]
    assert report["dimensions_first_reading"]["accuracy"] >= 0.63  # type: ignore[index]


PASSAGES = Path(__file__).resolve().parents[2] / "evaluation" / "sdg-targets.csv"
runner = CliRunner()


def test_the_evaluate_command_scores_real_passages(tmp_path: Path) -> None:
    # a small cut of the set: the targets of three goals, both parts
    lines = PASSAGES.read_text(encoding="utf-8").splitlines()
    chosen = [line for line in lines[1:] if line.split(".")[0] in ("6", "14", "16")]
    small = tmp_path / "passages.csv"
    small.write_text("\n".join([lines[0], *chosen]) + "\n", encoding="utf-8")
    result = runner.invoke(
        app, ["evaluate", "--passages", str(small), "--frameworks", str(SDG_FRAMEWORK)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["passages_set"]
    assert report["themes"] == 3
    assert report["passages"] == sum(line.endswith(",test") for line in chosen)
    assert report["inputs"] > report["passages"]  # with campaign copies
    assert report["themes_found"] >= 1
    for name in (
        "themes_adjusted_rand_index",
        "themes_normalised_mutual_information",
        "sdg_yes_no_accuracy",
    ):
        assert -1 <= report[name] <= 1, name
    # the linker never reads the passages it is scored on
    framework = read_sdg_folder(SDG_FRAMEWORK)
    scored = {line.split(",")[0] for line in chosen if line.endswith(",test")}
    assert not scored & set(without(framework, scored).items)


TRANSLATED = PASSAGES.with_name("sdg-targets-translated.csv")


def test_passages_in_several_languages_are_scored_language_by_language(tmp_path: Path) -> None:
    # the targets of two goals in French and Chinese, of the set in the five other UN languages
    lines = TRANSLATED.read_text(encoding="utf-8").splitlines()
    chosen = [
        line
        for line in lines[1:]
        if line.split(".")[0] in ("6", "14") and line.split(",")[1] in ("fr", "zh")
    ]
    small = tmp_path / "passages.csv"
    small.write_text("\n".join([lines[0], *chosen]) + "\n", encoding="utf-8")
    result = runner.invoke(
        app, ["evaluate", "--passages", str(small), "--frameworks", str(SDG_FRAMEWORK)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["passages_set"]
    assert report["passages"] == sum(line.endswith(",test") for line in chosen)
    assert set(report["sdg_yes_no_accuracy_by_language"]) == {"fr", "zh"}
    assert 0 <= report["sdg_top_goal_accuracy"] <= 1
    assert 1 <= report["sdg_goals_linked_average"] <= 3
    # a passage and its translations are one target: none of them is in what the linker reads
    framework = read_sdg_folder(SDG_FRAMEWORK)
    scored = {line.split(",")[0] for line in chosen if line.endswith(",test")}
    assert not scored & set(without(framework, scored).items)


def test_the_evaluate_command_needs_a_set_and_names_a_bad_part(tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate"])
    assert result.exit_code == 1
    assert "give --set, --passages or both" in result.output
    broken = tmp_path / "passages.csv"
    broken.write_text("id,language,text,goal,part\n1.1,en,End poverty.,1,later\n", "utf-8")
    result = runner.invoke(app, ["evaluate", "--passages", str(broken)])
    assert result.exit_code == 1
    assert "line 2" in result.output
    assert "part must be one of test, tuning" in result.output
