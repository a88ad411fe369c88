"""Tags (dimensions, input types) for every input, with a confidence.

With nothing confirmed, an input's tags come from its similarity to each term's seed: the term's names
in every language, its description and its keywords, from the process definition. For dimensions
(subjects), the meaning of each input is also compared with the meaning of each dimension's
description, each phrase it lists, each keyword and each example (`term_meaning`, and the
classifier of `bymeaning`, which also learns from the run's surest ideas). Once the
secretariat has confirmed tags, a linear classifier learned from them is blended in, and so is the
closeness of each input's meaning to the inputs confirmed under each term, with more weight the more
tags are confirmed."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from stocktake.analysis.vectors import Vectoriser

TEMPERATURE = 0.05
MEANING_WEIGHT = 0.5
"""With meaning vectors, the similarity of an input's meaning to each term's description weighs
this much, the word seeds the rest."""
CLOSEST = 3
"""A term's closeness by meaning is the mean of an input's similarity to the term's three closest
texts (its description, the phrases the description lists, its keywords and examples): a subject
is recognised by what it is closest to, not by the average of everything the term covers."""
MIN_LABELLED = 5
LEARNING_PIVOT = 20.0
"""With this many confirmed inputs the classifier and the seeds weigh the same."""
IDEA_WEIGHT = 0.7
"""An input's tags blend its own reading with the mean of its idea's wordings (the distinct texts
of its cluster): the mean weighs this much."""


@dataclass(frozen=True)
class Vocabulary:
    name: str
    keys: list[str]
    seeds: list[str]
    multi_label: bool
    descriptions: list[list[str]] = field(default_factory=list)
    """Each term's texts whose meaning is compared: its name and description, each phrase the
    description lists, each keyword and each example (empty: the vocabulary is not compared by
    meaning)."""


def description_phrases(description: str) -> list[str]:
    """The phrases a description lists: 'Cities, municipalities and local authorities: local
    integration, service delivery' gives 'local integration' and 'service delivery' (what follows
    its last colon, cut at commas, semicolons and 'and')."""
    listed = description.rsplit(":", maxsplit=1)[-1].strip().rstrip(".")
    return [part.strip() for part in re.split(r",|;| and ", listed) if part.strip()]


def term_meaning(vectors: np.ndarray, texts: Sequence[np.ndarray]) -> np.ndarray:
    """Each row's closeness by meaning to each term (rows × terms): the mean cosine similarity of
    its unit-length vector to the term's `CLOSEST` closest texts (`texts[term]` holds their unit
    vectors)."""
    scores = np.zeros((len(vectors), len(texts)), dtype=np.float32)
    for column, block in enumerate(texts):
        if len(block):
            similarity = vectors @ block.T
            closest = min(CLOSEST, similarity.shape[1])
            scores[:, column] = np.sort(similarity, axis=1)[:, -closest:].mean(axis=1)
    return scores


def taught_meaning(
    vectors: np.ndarray, labelled: Mapping[int, Sequence[str]], keys: Sequence[str]
) -> tuple[np.ndarray, float]:
    """Each row's cosine similarity to the centre of the rows confirmed under each term, and how
    much that weighs against the term's own texts: n/(n + LEARNING_PIVOT) for n confirmed rows."""
    centres = np.zeros((len(keys), vectors.shape[1]), dtype=np.float32)
    counted = 0
    for row, chosen in labelled.items():
        known = {keys.index(key) for key in chosen if key in keys}
        for column in known:
            centres[column] += vectors[row]
        counted += bool(known)
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)
    return vectors @ centres.T, counted / (counted + LEARNING_PIVOT)


@dataclass
class TagResult:
    keys: list[list[str]]
    confidence: np.ndarray
    scores: np.ndarray


def softmax(values: np.ndarray) -> np.ndarray:
    shifted = values - values.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result


def seed_probabilities(
    matrix: sparse.csr_matrix, vectoriser: Vectoriser, vocabulary: Vocabulary
) -> np.ndarray:
    """Each row's probability of each term by its words' similarity to the term's seed."""
    return softmax(seed_similarity(matrix, vectoriser, vocabulary.seeds) / TEMPERATURE)


def seed_similarity(
    matrix: sparse.csr_matrix, vectoriser: Vectoriser, seeds: Sequence[str]
) -> np.ndarray:
    seed_matrix = vectoriser.transform(seeds)
    return np.asarray((matrix @ seed_matrix.T).toarray(), dtype=np.float32)


def idea_blend(
    scores: np.ndarray, wording: np.ndarray, idea: np.ndarray, weight: float | None = None
) -> np.ndarray:
    """Each row's scores blended with the mean of its idea's: `wording[row]` numbers the row's
    distinct text (copies of one text share it), `idea[text]` the idea (cluster) of each distinct
    text. Every distinct text counts once in its idea's mean, however many copies it has, so that
    a wording read wrongly is carried by the other wordings of what it says (`IDEA_WEIGHT` unless
    `weight` is given). Linear in rows."""
    weight = IDEA_WEIGHT if weight is None else weight
    if weight <= 0 or not len(scores):
        return scores
    by_text = _means(scores, wording)
    by_idea = _means(by_text, idea)
    result: np.ndarray = ((1 - weight) * scores + weight * by_idea[idea[wording]]).astype(
        np.float32
    )
    return result


def _means(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The mean row of `values` in each group (`group[row]` numbers them from 0)."""
    count = int(group.max()) + 1
    sizes = np.maximum(np.bincount(group, minlength=count), 1)
    return np.column_stack(
        [np.bincount(group, weights=column, minlength=count) / sizes for column in values.T]
    )


def _as_confirmed(
    scores: np.ndarray, keys: Sequence[str], labelled: Mapping[int, Sequence[str]]
) -> np.ndarray:
    """The scores with each confirmed row's replaced by its confirmed terms (shared equally), so
    that what the secretariat confirmed for one wording carries to the others of its idea."""
    if not labelled:
        return scores
    result = scores.copy()
    for row, chosen in labelled.items():
        columns = [keys.index(key) for key in chosen if key in keys]
        if columns:
            result[row] = 0.0
            result[row, columns] = 1.0 / len(columns)
    return result


def tag(
    matrix: sparse.csr_matrix,
    vectoriser: Vectoriser,
    vocabulary: Vocabulary,
    labelled: dict[int, list[str]],
    meaning: np.ndarray | None = None,
    *,
    seeds: np.ndarray | None = None,
    ideas: tuple[np.ndarray, np.ndarray] | None = None,
) -> TagResult:
    """Tags for each row of `matrix`; `labelled` maps row indices to confirmed keys; `meaning`, when
    given, is each row's probability of each term by meaning (rows × terms); `seeds`, when given,
    is `seed_probabilities` already computed; `ideas`, when given, is each row's distinct text and
    each distinct text's idea, whose wordings' mean is blended in (`idea_blend`)."""
    scores = seed_probabilities(matrix, vectoriser, vocabulary) if seeds is None else seeds
    if meaning is not None:
        scores = (1 - MEANING_WEIGHT) * scores + MEANING_WEIGHT * meaning
    if ideas is not None:
        scores = idea_blend(_as_confirmed(scores, vocabulary.keys, labelled), *ideas)
    learned = _learn(matrix, vectoriser, vocabulary, labelled)
    if learned is not None:
        weight = len(labelled) / (len(labelled) + LEARNING_PIVOT)
        scores = (1 - weight) * scores + weight * learned
    keys: list[list[str]] = []
    best = scores.argmax(axis=1)
    top = scores[np.arange(len(best)), best]
    for row in range(scores.shape[0]):
        chosen = [vocabulary.keys[best[row]]]
        if vocabulary.multi_label:
            for column in np.argsort(-scores[row])[1:3]:
                if scores[row, column] >= 0.6 * top[row] and scores[row, column] >= 0.25:
                    chosen.append(vocabulary.keys[column])
        keys.append(chosen)
    for row, confirmed in labelled.items():
        keys[row] = list(confirmed)
        top[row] = 1.0
    return TagResult(keys=keys, confidence=top.astype(np.float32), scores=scores)


def _learn(
    matrix: sparse.csr_matrix,
    vectoriser: Vectoriser,
    vocabulary: Vocabulary,
    labelled: dict[int, list[str]],
) -> np.ndarray | None:
    usable = {row: keys for row, keys in labelled.items() if keys}
    if len(usable) < MIN_LABELLED:
        return None
    rows = sorted(usable)
    seeds = vectoriser.transform(vocabulary.seeds)
    training = sparse.vstack([matrix[rows], seeds]).tocsr()
    probabilities = np.zeros((matrix.shape[0], len(vocabulary.keys)), dtype=np.float32)
    trained = 0
    for column, key in enumerate(vocabulary.keys):
        target = np.array(
            [key in usable[row] for row in rows]
            + [i == column for i in range(len(vocabulary.keys))]
        )
        if target.all() or not target.any():
            continue
        from sklearn.linear_model import SGDClassifier

        model = SGDClassifier(
            loss="log_loss",
            alpha=1e-4,
            class_weight="balanced",
            random_state=0,
            max_iter=50,
            tol=1e-3,
        )
        model.fit(training, target)
        probabilities[:, column] = model.predict_proba(matrix)[:, 1]
        trained += 1
    if trained < 2:
        return None
    totals = probabilities.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    result: np.ndarray = probabilities / totals
    return result
