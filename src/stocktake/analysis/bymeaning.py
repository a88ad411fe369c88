"""Tags by meaning: how likely each idea of a run is to belong to each term, from the meaning of
what the process definition says of the term (its description, phrases, keywords and examples).

Two readings are blended. The closeness of an idea to each term's closest texts (`term_meaning`,
with the inputs the secretariat confirmed under the term); and a linear classifier learned at run
time from the definition's own texts, which weighs every text of every term against all the others
instead of taking the closest. The classifier then reads the run itself: the ideas it and the word
seeds are most sure of join its lessons as provisional examples of their term (never stored, never
shown as confirmed, weighing less than the definition's texts), and it is learned once more, so
that a term is also recognised in the words this consultation uses for it. The cost is linear in
ideas: the provisional examples are capped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from stocktake.analysis.tagging import TEMPERATURE, softmax, taught_meaning, term_meaning

CLASSIFIER_WEIGHT = 0.5
"""The classifier's share of the closeness by meaning, the closest texts the rest."""
CLASSIFIER_C = 10.0
"""Inverse strength of the classifier's regularisation."""
PROVISIONAL_SHARE = 0.7
"""The share of a run's ideas, the surest first, taken as provisional examples."""
PROVISIONAL_WEIGHT = 0.3
"""A provisional example weighs this much against one of the definition's texts."""
PROVISIONAL_LIMIT = 5000
"""Provisional examples at most, spread evenly over the surest (the cost stays bounded)."""


def meaning_probabilities(
    features: np.ndarray,
    references: Sequence[np.ndarray],
    seeds: np.ndarray,
    *,
    taught: Mapping[int, Sequence[str]],
    keys: Sequence[str],
    meaning_weight: float,
) -> np.ndarray:
    """Ideas × terms probabilities by meaning. `features` are the ideas' unit vectors,
    `references[term]` the unit vectors of the term's texts, `seeds` each idea's probabilities
    from the word seeds (ideas × terms), `taught` the terms confirmed for ideas; `meaning_weight`
    is the share meaning takes against the seeds in the tags."""
    closest = softmax(term_meaning(features, references) / TEMPERATURE)
    texts = [(column, block) for column, block in enumerate(references) if len(block)]
    if len(texts) < 2 or not len(features):
        return _taught(closest, features, taught, keys)
    vectors = np.vstack([block for _, block in texts])
    terms = np.concatenate([np.full(len(block), column) for column, block in texts])
    first = _classify(vectors, terms, np.ones(len(terms)), features, len(keys))
    probabilities = (1 - CLASSIFIER_WEIGHT) * closest + CLASSIFIER_WEIGHT * first
    sure = (1 - meaning_weight) * seeds + meaning_weight * probabilities
    chosen = _provisional(sure, features, set(taught))
    if len(chosen) == 0:
        return _taught(probabilities, features, taught, keys)
    second = _classify(
        np.vstack([vectors, features[chosen]]),
        np.concatenate([terms, sure[chosen].argmax(axis=1)]),
        np.concatenate([np.ones(len(terms)), np.full(len(chosen), PROVISIONAL_WEIGHT)]),
        features,
        len(keys),
    )
    return _taught(
        (1 - CLASSIFIER_WEIGHT) * closest + CLASSIFIER_WEIGHT * second, features, taught, keys
    )


def _taught(
    probabilities: np.ndarray,
    features: np.ndarray,
    taught: Mapping[int, Sequence[str]],
    keys: Sequence[str],
) -> np.ndarray:
    """The probabilities blended with each idea's closeness to the ideas confirmed under each
    term, which weighs more the more are confirmed (`taught_meaning`)."""
    if taught:
        closeness, weight = taught_meaning(features, taught, keys)
        probabilities = (1 - weight) * probabilities + weight * softmax(closeness / TEMPERATURE)
    result: np.ndarray = probabilities.astype(np.float32)
    return result


def _provisional(sure: np.ndarray, features: np.ndarray, confirmed: set[int]) -> np.ndarray:
    """The ideas taken as provisional examples: the surest `PROVISIONAL_SHARE` of those with a
    meaning and no confirmed term, at most `PROVISIONAL_LIMIT` spread evenly over them."""
    candidates = np.flatnonzero(np.linalg.norm(features, axis=1) > 0)
    if confirmed:
        candidates = np.setdiff1d(candidates, np.fromiter(confirmed, dtype=np.int64))
    order = candidates[np.argsort(-sure[candidates].max(axis=1), kind="stable")]
    order = order[: round(PROVISIONAL_SHARE * len(order))]
    if len(order) > PROVISIONAL_LIMIT:
        order = order[np.linspace(0, len(order) - 1, PROVISIONAL_LIMIT).astype(np.int64)]
    return order


def _classify(
    vectors: np.ndarray, terms: np.ndarray, weights: np.ndarray, features: np.ndarray, count: int
) -> np.ndarray:
    """Each feature row's probability of each of `count` terms, by a multinomial logistic
    regression learned from `vectors` labelled `terms` (a term with no text gets 0)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=CLASSIFIER_C, max_iter=1000)
    model.fit(vectors, terms, sample_weight=weights)
    probabilities = np.zeros((len(features), count), dtype=np.float32)
    probabilities[:, model.classes_] = model.predict_proba(features)
    return probabilities
