"""Which SDG goal a text serves, by meaning: a linear classifier over meaning vectors, learned from
the framework itself. Every text the framework holds is a labelled example of its goal: the goal's
title and short name, its targets and their indicators, in every language the framework has (a
framework read from the six UN languages gives about 2,700 examples). Inputs already linked to a
goal (by their submitter or the secretariat) are examples too: n of them weigh n/(n + TEACH_AT)
of all. The classifier of a framework alone is learned once per process (a few seconds); one with
linked inputs once per run. Applying it costs one small product per input."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from stocktake.analysis.vectors import Embedder
from stocktake.frameworks.sdg import SdgFramework

STRENGTH = 1.0
"""The inverse of the classifier's regularisation (scikit-learn's C), chosen on the tuning part of
the SDG targets."""
TEACH_AT = 20
"""Linked inputs weigh n/(n + TEACH_AT) against the framework's texts, for n linked inputs."""
TAUGHT_PER_GOAL = 500
"""Linked inputs of one goal used as examples at most (a fixed sample; their weight is kept)."""


@dataclass(frozen=True)
class GoalClassifier:
    goals: list[str]
    weights: np.ndarray  # goals × dimensions
    bias: np.ndarray  # goals

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """One row per vector: the probability of each goal (rows sum to 1)."""
        logits = vectors @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        chances = np.exp(logits)
        result: np.ndarray = chances / chances.sum(axis=1, keepdims=True)
        return result


def examples(framework: SdgFramework, goals: list[str]) -> tuple[list[str], list[int]]:
    """The framework's texts, each with the index of its goal in `goals`."""
    texts: list[str] = []
    labels: list[int] = []
    position = {goal: index for index, goal in enumerate(goals)}
    for code in sorted(framework.items):
        item = framework.items[code]
        if item.goal not in position:
            continue
        found = [item.texts.get(language, "") for language in framework.languages]
        if item.level == "goal":
            found += [item.short.get(language, "") for language in framework.languages]
        for text in dict.fromkeys(t for t in found if t):
            texts.append(text)
            labels.append(position[item.goal])
    return texts, labels


class _Learned:
    lock = threading.Lock()
    memo: ClassVar[dict[str, GoalClassifier]] = {}
    examples: ClassVar[dict[str, tuple[np.ndarray, np.ndarray]]] = {}


def goal_classifier(
    framework: SdgFramework,
    goals: list[str],
    embedder: Embedder,
    taught: tuple[np.ndarray, list[int]] | None = None,
) -> GoalClassifier | None:
    """The classifier of that framework's goals (None when fewer than two goals have texts).
    `taught` holds the vectors of inputs already linked and the index of the goal of each."""
    texts, labels = examples(framework, goals)
    if len(set(labels)) < 2:
        return None
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(embedder.name.encode())
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{goals[label]}\t{text}\n".encode())
    key = digest.hexdigest()
    with _Learned.lock:
        if key not in _Learned.memo:
            vectors = embedder.embed_reference(texts)
            _Learned.memo[key] = _learn(vectors, np.array(labels), goals)
            _Learned.examples[key] = (vectors, np.array(labels))
        if taught is None or not len(taught[1]):
            return _Learned.memo[key]
        vectors, known = _Learned.examples[key]
    return _learn(vectors, known, goals, taught)


def _learn(
    vectors: np.ndarray,
    labels: np.ndarray,
    goals: list[str],
    taught: tuple[np.ndarray, list[int]] | None = None,
) -> GoalClassifier:
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    # every goal weighs the same, however many targets and indicators it has
    counts = np.bincount(labels, minlength=len(goals)).astype(np.float64)
    weight = len(labels) / (len(set(labels.tolist())) * np.maximum(counts, 1))
    sample_weight = weight[labels]
    if taught is not None and len(taught[1]):
        linked = len(taught[1])
        extra, extra_labels = _sample(taught[0], np.asarray(taught[1]))
        # n linked inputs weigh n/(n + TEACH_AT) of all: as much as n × total/TEACH_AT texts
        share = sample_weight.sum() * linked / TEACH_AT / len(extra_labels)
        vectors = np.vstack([vectors, extra])
        labels = np.concatenate([labels, extra_labels])
        sample_weight = np.concatenate([sample_weight, np.full(len(extra_labels), share)])
    model = LogisticRegression(C=STRENGTH, max_iter=3000)
    # one thread: on a busy machine several threads wait on each other for ten times longer
    with threadpool_limits(1):
        model.fit(vectors, labels, sample_weight=sample_weight)
    weights = np.zeros((len(goals), vectors.shape[1]), dtype=np.float32)
    bias = np.full(len(goals), -1e4, dtype=np.float32)  # a goal without texts is never chosen
    if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes
        rows = [-model.coef_[0] / 2, model.coef_[0] / 2]
        offsets = [-model.intercept_[0] / 2, model.intercept_[0] / 2]
    else:
        rows, offsets = list(model.coef_), list(model.intercept_)
    for label, row, offset in zip(model.classes_, rows, offsets, strict=True):
        weights[int(label)] = row
        bias[int(label)] = offset
    return GoalClassifier(goals=list(goals), weights=weights, bias=bias)


def _sample(vectors: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """At most TAUGHT_PER_GOAL linked inputs of each goal, the same ones at every run."""
    keep: list[int] = []
    rng = np.random.default_rng(0)
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        if len(rows) > TAUGHT_PER_GOAL:
            rows = np.sort(rng.choice(rows, TAUGHT_PER_GOAL, replace=False))
        keep.extend(rows.tolist())
    return vectors[keep], labels[keep]
