"""Dimension tags on the tuning sets (never on gcm-eval.csv): the accuracy of the first dimension the
analysis gives, per set, with the process definition as shipped and with its dimensions' examples
removed; and on dimension-wordings.csv (ideas in several wordings) once more with its ideas confirmed
as the secretariat would, so that each wording is read with the others of its idea. Run from the
checkout: `.venv/bin/python evaluation/dimension_tuning.py`."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from stocktake.analysis.pipeline import ActorInfo, Context, Doc, run_pipeline
from stocktake.consultation.language import detect_languages
from stocktake.demo.inputs import PROPOSALS, TRANSLATIONS
from stocktake.process.definition import (
    ProcessDefinition,
    default_definition_path,
    load_definition_file,
)

HERE = Path(__file__).resolve().parent
OBJECTIVE_TITLES = 19
"""The first rows of dimension-gcm-text.csv are objective titles, which the GCM definition also lists
as examples: they are left out of the scores."""


def tuning_sets() -> dict[str, list[tuple[str, str]]]:
    def read(name: str) -> list[tuple[str, str]]:
        with (HERE / name).open(encoding="utf-8", newline="") as handle:
            return [(row["dimension"], row["text"]) for row in csv.DictReader(handle)]

    demo = [(dimension, text) for dimension, _, _, text in PROPOSALS]
    demo += [(PROPOSALS[i][0], text) for pairs in TRANSLATIONS.values() for i, text in pairs]
    return {
        "demo proposals and translations": demo,
        "dimension-tuning.csv": read("dimension-tuning.csv"),
        "dimension-gcm-text.csv (actions)": read("dimension-gcm-text.csv")[OBJECTIVE_TITLES:],
        "dimension-plain-words.csv": read("dimension-plain-words.csv"),
        "dimension-wordings.csv": read("dimension-wordings.csv"),
        "dimension-actors.csv": read("dimension-actors.csv"),
        "dimension-convention.csv": read("dimension-convention.csv"),
    }


def idea_rows() -> list[list[int]]:
    """The rows of each idea of dimension-wordings.csv."""
    with (HERE / "dimension-wordings.csv").open(encoding="utf-8", newline="") as handle:
        ideas: dict[str, list[int]] = {}
        for row, item in enumerate(csv.DictReader(handle)):
            ideas.setdefault(item["idea"], []).append(row)
    return list(ideas.values())


def accuracy(
    definition: ProcessDefinition,
    rows: list[tuple[str, str]],
    ideas: list[list[int]] | None = None,
) -> float:
    texts = [text for _, text in rows]
    docs = [
        Doc(key=n, actor=ActorInfo(f"A{n}", f"A{n}", "stakeholder"), text=text, language=language)
        for n, (text, language) in enumerate(zip(texts, detect_languages(texts), strict=True))
    ]
    confirmed = [(key, f"idea {key}", members) for key, members in enumerate(ideas or [])]
    context = Context(definition=definition, confirmed_clusters=confirmed)
    tags = run_pipeline(docs, context).tags["dimensions"]
    return sum(tags[n][0] == truth for n, (truth, _) in enumerate(rows)) / len(rows)


def main() -> None:
    shipped = load_definition_file(default_definition_path())
    bare = shipped.model_copy(
        update={"dimensions": [d.model_copy(update={"examples": []}) for d in shipped.dimensions]}
    )
    sets = tuning_sets()
    total = sum(len(rows) for rows in sets.values())
    for label, definition in (("without examples", bare), ("with examples", shipped)):
        scores = {name: accuracy(definition, rows) for name, rows in sets.items()}
        pooled = sum(scores[name] * len(rows) for name, rows in sets.items()) / total
        shown = ", ".join(f"{name} {score:.3f}" for name, score in scores.items())
        sys.stdout.write(f"{label}: {shown}; all {total} texts {pooled:.3f}\n")
    confirmed = accuracy(shipped, sets["dimension-wordings.csv"], idea_rows())
    sys.stdout.write(f"dimension-wordings.csv with its ideas confirmed: {confirmed:.3f}\n")


if __name__ == "__main__":
    main()
