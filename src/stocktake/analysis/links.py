"""Links from inputs to SDG goals and targets, offline. By meaning (the default): each input's
meaning vector is scored against every goal by a classifier learned from the framework's texts, in
any language, and compared with the inputs already linked to each goal. By words (the fallback):
each input is compared with every goal (its title and all its targets) and then with the targets of
its best goals, in the language of the input when the framework has it, in English otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from stocktake.analysis.goals import goal_classifier
from stocktake.analysis.vectors import Embedder, Vectoriser
from stocktake.frameworks.sdg import SdgFramework

CHUNK = 20_000


@dataclass
class Links:
    goals: list[list[str]] = field(default_factory=list)
    targets: list[list[str]] = field(default_factory=list)
    confidence: list[float] = field(default_factory=list)


def _goal_key(code: str) -> tuple[int, str]:
    head = code.split(".", maxsplit=1)[0]
    return (int(head) if head.isdigit() else 99, code)


def link(
    matrix: sparse.csr_matrix,
    languages: Sequence[str],
    explicit: Sequence[Sequence[str]],
    framework: SdgFramework | None,
    vectoriser: Vectoriser,
) -> Links:
    """SDG goals and targets for every row. `explicit` holds the SDG codes a submitter gave, kept
    with full confidence."""
    size = matrix.shape[0]
    result = Links(
        goals=[[] for _ in range(size)], targets=[[] for _ in range(size)], confidence=[0.0] * size
    )
    if framework is not None and framework.of_level("goal"):
        goals = sorted((g.code for g in framework.of_level("goal")), key=_goal_key)
        targets = sorted((t.code for t in framework.of_level("target")), key=_goal_key)
        by_language: dict[str, list[int]] = {}
        for row, language in enumerate(languages):
            by_language.setdefault(
                language if language in framework.languages else "en", []
            ).append(row)
        for language, rows in by_language.items():
            _link_language(
                matrix,
                rows,
                language,
                framework=framework,
                goals=goals,
                targets=targets,
                vectoriser=vectoriser,
                result=result,
            )
    keep_explicit(result, explicit)
    return result


def _link_language(
    matrix: sparse.csr_matrix,
    rows: list[int],
    language: str,
    *,
    framework: SdgFramework,
    goals: list[str],
    targets: list[str],
    vectoriser: Vectoriser,
    result: Links,
) -> None:
    def text(code: str) -> str:
        item = framework.items[code]
        return item.texts.get(language) or item.texts.get("en", "")

    goal_docs = []
    for goal in goals:
        parts = [text(goal), framework.items[goal].short.get(language, "")]
        parts += [text(t) for t in targets if t.split(".")[0] == goal]
        goal_docs.append(" ".join(parts))
    goal_matrix = vectoriser.transform(goal_docs)
    norms = np.sqrt(np.asarray(goal_matrix.multiply(goal_matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    goal_matrix = sparse.diags(1 / norms) @ goal_matrix
    target_matrix = vectoriser.transform([text(t) for t in targets])
    target_goal = np.array([goals.index(t.split(".")[0]) for t in targets])
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        part = matrix[chunk]
        goal_scores = (part @ goal_matrix.T).toarray()
        target_scores = (part @ target_matrix.T).toarray()
        for offset, row in enumerate(chunk):
            scores = goal_scores[offset]
            best = int(scores.argmax())
            if scores[best] <= 0:
                continue
            chosen = [best] + [
                int(g) for g in np.argsort(-scores)[1:2] if scores[g] >= 0.8 * scores[best]
            ]
            result.goals[row] = [goals[g] for g in chosen]
            result.confidence[row] = float(min(1.0, scores[best] * 3))
            for goal_index in chosen:
                mask = target_goal == goal_index
                candidates = np.where(mask)[0]
                if len(candidates):
                    target_index = candidates[int(target_scores[offset, candidates].argmax())]
                    if target_scores[offset, target_index] > 0:
                        result.targets[row].append(targets[target_index])


def link_inputs(
    features: np.ndarray,
    idea_of_row: Sequence[int],
    references: Sequence[Sequence[str]],
    embedder: Embedder | None,
    *,
    framework: SdgFramework | None,
    fallback: tuple[sparse.csr_matrix, Sequence[str], Vectoriser],
) -> Links:
    """Links of every input: by meaning, once per duplicate group (`features` has one row per
    group; the references of any copy teach), or by words when there is no embedder."""
    if embedder is None:
        matrix, languages, vectoriser = fallback
        return link(matrix, languages, references, framework, vectoriser)
    taught: list[list[str]] = [[] for _ in range(len(features))]
    for idea, codes in zip(idea_of_row, references, strict=True):
        taught[idea].extend(codes)
    per_idea = link_by_meaning(features, taught, framework, embedder)
    result = Links(
        goals=[list(per_idea.goals[i]) for i in idea_of_row],
        targets=[list(per_idea.targets[i]) for i in idea_of_row],
        confidence=[per_idea.confidence[i] for i in idea_of_row],
    )
    # a copy's own references are its own; the others' are suggestions from the analysis
    for row, idea in enumerate(idea_of_row):
        if taught[idea] and not references[row]:
            result.confidence[row] = min(result.confidence[row], 0.99)
    keep_explicit(result, references)
    return result


WITHIN = 0.5
"""A second or third goal is linked when its score is at least this share of the best goal's
(chosen on the tuning part of the SDG targets)."""


def link_by_meaning(
    vectors: np.ndarray,
    explicit: Sequence[Sequence[str]],
    framework: SdgFramework | None,
    embedder: Embedder,
) -> Links:
    """SDG goals and targets for every row from its meaning vector. Each goal's score is its
    probability under a classifier learned from the framework's own texts (goals, targets and
    indicators, in every language it holds) and from the inputs already linked (given by their
    submitter or confirmed by the secretariat): `stocktake.analysis.goals`. The targets are those
    of the chosen goals closest in meaning. Works in any language the embedding knows."""
    size = len(vectors)
    result = Links(
        goals=[[] for _ in range(size)], targets=[[] for _ in range(size)], confidence=[0.0] * size
    )
    if framework is not None and framework.of_level("goal") and framework.of_level("target"):
        goals = sorted((g.code for g in framework.of_level("goal")), key=_goal_key)
        targets = sorted(
            (t.code for t in framework.of_level("target") if t.goal in goals), key=_goal_key
        )
        classifier = goal_classifier(
            framework, goals, embedder, taught=_taught(vectors, explicit, goals)
        )
        target_vectors = embedder.embed_reference(
            [framework.items[t].texts.get("en", "") for t in targets]
        )
        members = [
            np.array([i for i, code in enumerate(targets) if code.split(".")[0] == goal], dtype=int)
            for goal in goals
        ]
        for start in range(0, size, CHUNK):
            part = vectors[start : start + CHUNK]
            target_scores = part @ target_vectors.T
            if classifier is not None:
                scores = classifier.probabilities(part)
            else:  # a framework of one goal
                scores = np.full((len(part), len(goals)), 1.0 / len(goals), dtype=np.float32)
            for offset in range(len(part)):
                _choose(
                    result,
                    start + offset,
                    scores=scores[offset],
                    target_scores=target_scores[offset],
                    goals=goals,
                    targets=targets,
                    members=members,
                )
    keep_explicit(result, explicit)
    return result


def _taught(
    vectors: np.ndarray, explicit: Sequence[Sequence[str]], goals: list[str]
) -> tuple[np.ndarray, list[int]]:
    """The inputs linked to a goal, as examples of it (an input linked to two goals is an example
    of each)."""
    rows: list[int] = []
    labels: list[int] = []
    for row, codes in enumerate(explicit):
        for goal in sorted({code.split(".")[0] for code in codes} & set(goals), key=_goal_key):
            rows.append(row)
            labels.append(goals.index(goal))
    return vectors[rows], labels


def _choose(
    result: Links,
    row: int,
    *,
    scores: np.ndarray,
    target_scores: np.ndarray,
    goals: list[str],
    targets: list[str],
    members: list[np.ndarray],
) -> None:
    order = np.argsort(-scores)
    best = float(scores[order[0]])
    if best <= 0:
        return
    chosen = [int(order[0])] + [int(g) for g in order[1:3] if scores[g] >= WITHIN * best]
    result.goals[row] = [goals[g] for g in chosen]
    result.confidence[row] = float(min(1.0, max(0.0, best)))
    for goal in chosen:
        candidates = members[goal]
        if len(candidates):
            result.targets[row].append(targets[candidates[int(target_scores[candidates].argmax())]])


def keep_explicit(result: Links, explicit: Sequence[Sequence[str]]) -> None:
    for row, codes in enumerate(explicit):
        for code in codes:
            goal = code.split(".")[0]
            if goal not in result.goals[row]:
                result.goals[row].insert(0, goal)
            if code.count(".") == 1 and code not in result.targets[row]:
                result.targets[row].insert(0, code)
        if codes:
            result.confidence[row] = 1.0
