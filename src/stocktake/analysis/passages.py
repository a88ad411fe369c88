"""Measure the analysis on real passages whose subject is known: the SDG targets
(evaluation/README.md says how the set was made). Each target is a passage; its goal is its theme
and the SDG goal it serves.

The set is cut in two parts by a hash of the target's code. The *test* part is the one reported; the
*tuning* part is the one the theme coherence rule was chosen on. The SDG linker never reads the
passages it is scored on: the framework it is given holds only the targets of the other part."""

from __future__ import annotations

import csv
import hashlib
import random
from collections.abc import Sequence
from pathlib import Path

from stocktake.analysis.evaluation import Truth, with_campaigns
from stocktake.analysis.pipeline import ActorInfo, Context, Doc, Params, run_pipeline
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.spreadsheets import write_csv
from stocktake.core.translation import Text
from stocktake.frameworks.sdg import SdgFramework, without
from stocktake.process.definition import ProcessDefinition

COLUMNS = ("id", "language", "text", "goal", "part")
PARTS = ("test", "tuning")


def part_of(code: str) -> str:
    """The part a target belongs to, by a hash of its code (about half each)."""
    digest = hashlib.md5(f"passage:{code}".encode(), usedforsecurity=False).hexdigest()
    return PARTS[int(digest, 16) % 2]


def target_rows(
    framework: SdgFramework, languages: Sequence[str] = ("en",)
) -> list[dict[str, str]]:
    """The rows of the set, made from a framework's targets in those languages (language by
    language, each in the framework's order)."""
    rows = []
    for language in languages:
        for item in framework.of_level("target"):
            text = item.texts.get(language)
            if text:
                rows.append(
                    {
                        "id": item.code,
                        "language": language,
                        "text": text,
                        "goal": item.goal,
                        "part": part_of(item.code),
                    }
                )
    return rows


def write_set(framework: SdgFramework, path: Path, languages: Sequence[str] = ("en",)) -> int:
    rows = target_rows(framework, languages)
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(COLUMNS, ([row[c] for c in COLUMNS] for row in rows), handle)
    return len(rows)


def read_passages(path: Path, part: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationFailed(
                str(path),
                [
                    Problem(
                        "header", Text("missing columns: %(columns)s", columns=", ".join(missing))
                    )
                ],
            )
        rows = list(reader)
    for number, row in enumerate(rows, start=2):
        if row["part"] not in PARTS:
            must = Text("part must be one of %(parts)s", parts=", ".join(PARTS))
            raise ValidationFailed(str(path), [Problem(f"line {number}", must)])
    chosen = [row for row in rows if row["part"] == part]
    if not chosen:
        raise ValidationFailed(
            str(path), [Problem("", Text("the set has no rows of part %(part)r", part=part))]
        )
    return chosen


def evaluate_passages(
    path: Path,
    definition: ProcessDefinition,
    framework: SdgFramework | None,
    *,
    part: str = "test",
    seed: int = 0,
    vectors: str = "multilingual",
) -> dict[str, object]:
    """Run the pipeline on one part of the set, with campaign copies of a third of the passages,
    and score the themes against the goals (adjusted Rand index, normalised mutual information,
    number found) and, with a framework, the SDG linker on a balanced yes/no task (the passage's
    own goal and one other goal at random; 'always no' scores 50 %)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    rows = read_passages(path, part)
    docs = [
        Doc(
            key=number,
            actor=ActorInfo(f"P{number}", f"Passage {number}", "stakeholder"),
            text=row["text"],
            language=row["language"],
            external_id=row["id"],
        )
        for number, row in enumerate(rows)
    ]
    truths = [Truth("", "", (row["goal"],), row["id"], "") for row in rows]
    docs, truths = with_campaigns(docs, truths, seed=seed)
    reader = without(framework, {row["id"] for row in rows}) if framework else None
    result = run_pipeline(
        docs, Context(definition=definition, framework=reader), Params(vectors=vectors)
    )
    goals = [t.goals[0] for t in truths]
    theme_of = [result.theme_of_cluster[c] for c in result.cluster_of]
    report: dict[str, object] = {
        "set": f"SDG targets as passages, {part} part, with campaign copies",
        "inputs": len(docs),
        "passages": len(rows),
        "themes": len(set(goals)),
        "vectors": vectors,
        "themes_found": len(result.themes),
        "themes_adjusted_rand_index": round(float(adjusted_rand_score(goals, theme_of)), 3),
        "themes_normalised_mutual_information": round(
            float(normalized_mutual_info_score(goals, theme_of)), 3
        ),
    }
    if framework is not None:
        report.update(
            _link_scores(result.goals, truths, [d.language for d in docs], framework, seed)
        )
    return report


def _link_scores(
    linked_goals: list[list[str]],
    truths: list[Truth],
    languages: list[str],
    framework: SdgFramework,
    seed: int,
) -> dict[str, object]:
    """The SDG linker on the balanced yes/no task, overall and (for a set in several languages)
    by language; with the share of passages whose best goal is right and the goals linked to a
    passage on average, which say how the yes/no figure was reached."""
    rng = random.Random(seed)  # noqa: S311  (reproducible, not a secret)
    every = sorted({item.goal for item in framework.of_level("goal")}, key=int)
    answers: dict[str, list[bool]] = {}
    top: list[bool] = []
    counts: list[int] = []
    for row, truth in enumerate(truths):
        if truth.duplicate_of:
            continue
        linked = linked_goals[row]
        other = rng.choice([g for g in every if g != truth.goals[0]])
        answers.setdefault(languages[row], []).extend(
            [truth.goals[0] in linked, other not in linked]
        )
        top.append(bool(linked) and linked[0] == truth.goals[0])
        counts.append(len(linked))
    everything = [answer for found in answers.values() for answer in found]
    scores: dict[str, object] = {
        "sdg_yes_no_accuracy": round(sum(everything) / len(everything), 3),
        "sdg_top_goal_accuracy": round(sum(top) / len(top), 3),
        "sdg_goals_linked_average": round(sum(counts) / len(counts), 2),
    }
    if len(answers) > 1:
        scores["sdg_yes_no_accuracy_by_language"] = {
            language: round(sum(found) / len(found), 3)
            for language, found in sorted(answers.items())
        }
    return scores
