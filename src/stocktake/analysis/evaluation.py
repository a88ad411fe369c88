"""Measure the analysis against a labelled evaluation set (evaluation/README.md says how it was made):
precision and recall of duplicate detection, accuracy and macro-F1 of tags and SDG goal links, and the
agreement of clusters with the true ideas (adjusted Rand index, normalised mutual information)."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, f1_score, normalized_mutual_info_score

from stocktake.analysis.pipeline import ActorInfo, Context, Doc, run_pipeline
from stocktake.consultation.language import detect_languages
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.frameworks.sdg import SdgFramework
from stocktake.process.definition import ProcessDefinition

COLUMNS = ("id", "submitter", "text", "dimension", "input_type", "sdg_goal", "idea", "duplicate_of")


@dataclass(frozen=True)
class Truth:
    dimension: str
    input_type: str
    goals: tuple[str, ...]
    idea: str
    duplicate_of: str


def read_set(path: Path) -> tuple[list[Doc], list[Truth]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationFailed(
                str(path), [Problem("header", f"missing columns: {', '.join(missing)}")]
            )
        rows = list(reader)
    if not rows:
        raise ValidationFailed(str(path), [Problem("", "the set has no rows")])
    languages = detect_languages([row["text"] for row in rows])
    docs = [
        Doc(
            key=number,
            actor=ActorInfo(row["submitter"], row["submitter"], "stakeholder"),
            text=row["text"],
            language=language,
            external_id=row["id"],
        )
        for number, (row, language) in enumerate(zip(rows, languages, strict=True))
    ]
    truths = [
        Truth(
            row["dimension"],
            row["input_type"],
            tuple(row["sdg_goal"].split(";")),
            row["idea"],
            row["duplicate_of"],
        )
        for row in rows
    ]
    return docs, truths


# How a campaign changes a text it copies: a framing sentence before or after it, in its language.
FRAMING: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        (
            "Our delegation proposes the following.",
            "We call on all member states:",
            "On behalf of our network of civil society organisations,",
        ),
        (
            "This should be done as a matter of priority.",
            "We count on your support.",
            "Signed, the undersigned organisations.",
        ),
    ),
    "fr": (
        (
            "Notre délégation propose ce qui suit.",
            "Nous appelons tous les États membres :",
            "Au nom de notre réseau d'organisations,",
        ),
        (
            "Cela doit être fait en priorité.",
            "Nous comptons sur votre soutien.",
            "Signé, les organisations soussignées.",
        ),
    ),
    "es": (
        (
            "Nuestra delegación propone lo siguiente.",
            "Hacemos un llamado a todos los Estados miembros:",
            "En nombre de nuestra red de organizaciones,",
        ),
        (
            "Esto debe hacerse con carácter prioritario.",
            "Contamos con su apoyo.",
            "Firmado, las organizaciones abajo firmantes.",
        ),
    ),
    "ar": (
        ("يقترح وفدنا ما يلي.", "ندعو جميع الدول الأعضاء:"),
        ("ينبغي القيام بذلك على سبيل الأولوية.", "نعتمد على دعمكم."),
    ),
    "ru": (
        ("Наша делегация предлагает следующее.", "Мы призываем все государства-члены:"),
        ("Это следует сделать в приоритетном порядке.", "Мы рассчитываем на вашу поддержку."),
    ),
    "zh": (
        ("我国代表团提出以下建议。", "我们呼吁所有会员国："),
        ("这应作为优先事项。", "我们期待各方的支持。"),
    ),
}
_CHANGED = ("also", "truly", "all", "swiftly", "together", "indeed", "now", "fully")


def campaign_variant(text: str, language: str, rng: random.Random) -> str:
    """A copy of `text` as a campaign would send it: two or three of a framing sentence before or
    after, a word dropped, a word changed, other case, other punctuation."""
    before, after = FRAMING.get(language[:2], FRAMING["en"])
    changes = rng.sample(
        ["before", "after", "drop", "change", "case", "punctuation"], rng.randint(2, 3)
    )
    words = text.split()
    if "drop" in changes and len(words) > 8:
        del words[rng.randrange(1, len(words) - 1)]
    if "change" in changes and len(words) > 8:
        words[rng.randrange(1, len(words) - 1)] = rng.choice(_CHANGED)
    out = " ".join(words)
    if "before" in changes:
        out = f"{rng.choice(before)} {out}"
    if "after" in changes:
        out = f"{out} {rng.choice(after)}"
    if "case" in changes:
        out = out.upper() if rng.random() < 0.5 else out.lower()
    if "punctuation" in changes:
        out = out.replace(",", "").replace(".", "!").replace(";", " -")
    return out


def with_campaigns(
    docs: list[Doc], truths: list[Truth], *, every: int = 3, copies: int = 2, seed: int = 0
) -> tuple[list[Doc], list[Truth]]:
    """The set extended with campaign copies: of every `every`-th original input, `copies` variants
    made by `campaign_variant`, each a duplicate of its original, sent by another submitter."""
    rng = random.Random(seed)  # noqa: S311  (reproducible variants, not a secret)
    docs, truths = list(docs), list(truths)
    originals = [row for row, truth in enumerate(truths) if not truth.duplicate_of]
    for number, row in enumerate(originals[::every]):
        doc, truth = docs[row], truths[row]
        for copy in range(copies):
            docs.append(
                Doc(
                    key=len(docs),
                    actor=ActorInfo(
                        f"CAMPAIGN-{number}-{copy}", f"Campaign {number}", "stakeholder"
                    ),
                    text=campaign_variant(doc.text, doc.language, rng),
                    language=doc.language,
                    external_id=f"{doc.external_id}-C{copy + 1}",
                )
            )
            truths.append(
                Truth(truth.dimension, truth.input_type, truth.goals, truth.idea, doc.name)
            )
    return docs, truths


def _pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
    return {pair for group in groups for pair in combinations(sorted(group), 2)}


def _scores(truth: list[str], predicted: list[str]) -> dict[str, float]:
    accuracy = sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth)
    return {
        "accuracy": round(accuracy, 3),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 3),
    }


def evaluate(
    path: Path,
    definition: ProcessDefinition,
    framework: SdgFramework | None,
    *,
    confirmed_share: float = 0.0,
    seed: int = 0,
) -> dict[str, object]:
    """Run the pipeline on the set and score it. With `confirmed_share`, that share of the inputs
    (chosen at random) get their true tags as if the secretariat had confirmed them, and tags are
    scored on the others only."""
    docs, truths = with_campaigns(*read_set(path), seed=seed)
    sample = random.Random(seed).sample  # noqa: S311  (a reproducible choice, not a secret)
    confirmed = set(sample(range(len(docs)), int(len(docs) * confirmed_share)))
    for row in confirmed:
        docs[row].confirmed = {
            "dimensions": [truths[row].dimension],
            "input_types": [truths[row].input_type],
        }
    result = run_pipeline(docs, Context(definition=definition, framework=framework))
    by_id = {doc.external_id: row for row, doc in enumerate(docs)}
    true_groups: dict[int, list[int]] = {}
    for row, truth in enumerate(truths):
        root = by_id[truth.duplicate_of] if truth.duplicate_of else row
        true_groups.setdefault(root, []).append(row)
    truth_pairs = _pairs([g for g in true_groups.values() if len(g) > 1])
    found_pairs = _pairs(result.duplicate_groups())
    hits = len(truth_pairs & found_pairs)
    scored = [row for row in range(len(docs)) if row not in confirmed]
    report: dict[str, object] = {
        "inputs": len(docs),
        "ideas": len({t.idea for t in truths}),
        "confirmed_share": confirmed_share,
        "duplicates": {
            "precision": round(hits / len(found_pairs), 3) if found_pairs else 1.0,
            "recall": round(hits / len(truth_pairs), 3) if truth_pairs else 1.0,
            "true_pairs": len(truth_pairs),
            "found_pairs": len(found_pairs),
        },
        "dimensions": _scores(
            [truths[r].dimension for r in scored], [result.tags["dimensions"][r][0] for r in scored]
        ),
        "input_types": _scores(
            [truths[r].input_type for r in scored],
            [result.tags["input_types"][r][0] for r in scored],
        ),
        "clusters": {
            "found": len(result.clusters),
            "adjusted_rand_index": round(
                float(adjusted_rand_score([t.idea for t in truths], result.cluster_of)), 3
            ),
            "normalised_mutual_information": round(
                float(normalized_mutual_info_score([t.idea for t in truths], result.cluster_of)), 3
            ),
        },
    }
    if framework is not None:
        predicted = [(result.goals[r] or ["none"])[0] for r in range(len(docs))]
        expected = [
            t.goals[0] if predicted[r] not in t.goals else predicted[r]
            for r, t in enumerate(truths)
        ]
        report["sdg_goals"] = _scores(expected, predicted)
    return report
