"""Links from inputs to SDG goals and targets, offline, in the input's own language: each input is
compared with every goal (its title and all its targets) and then with the targets of its best goals,
in the language of the input when the framework has it, in English otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from stocktake.analysis.vectors import Vectoriser
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
    for row, codes in enumerate(explicit):
        for code in codes:
            goal = code.split(".")[0]
            if goal not in result.goals[row]:
                result.goals[row].insert(0, goal)
            if code.count(".") == 1 and code not in result.targets[row]:
                result.targets[row].insert(0, code)
        if codes:
            result.confidence[row] = 1.0
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
