"""Ideas and themes: inputs that say the same thing in other words or other languages, and the
themes a Chair's summary is organised by.

Each duplicate group has one vector (its meaning, or its reduced TF-IDF vector in the fallback).
*Ideas* are made by average-linkage agglomerative clustering on cosine distance; past a few thousand
groups, mini-batch k-means first makes small groups whose centres are then clustered the same way,
so the cost grows linearly. Ideas the secretariat confirmed are kept as they are; new groups join
one when close enough. *Themes* group the ideas' centres by Ward clustering into a number that grows
slowly with the number of ideas (about 8 to 40 for a few hundred inputs)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from stocktake.analysis.spread import InProcess, Workers

SIMILARITY = {"tfidf": 0.45, "meaning": 0.6}
"""Average cosine similarity above which duplicate groups are one idea, for each kind of vector
(set on the demo data and the SDG targets in six languages, not on the evaluation sets)."""
JOIN_CONFIRMED = 0.6
"""Similarity to a confirmed cluster's centre above which a new idea joins it."""
DIRECT_LIMIT = 3000
THEME_COHERENCE = 0.45
"""A theme holds one subject: its ideas join only where their average cosine similarity (of
meaning) reaches this; a theme whose ideas are farther apart is split. Measured on the demo, ideas
on one subject (labour rights and regular pathways, cities' services and funding) are 0.45–0.6
apart, ideas on different subjects (capacity building and diaspora funds, child detention and
gender-based violence) 0.2–0.44, translations of one idea 0.7 and more."""
MAX_THEMES = 60
COHERENCE_LIMIT = 5000
"""Themes with more ideas than this are not checked (their split would cost too much)."""
COMPONENTS = 128


@dataclass(frozen=True)
class ConfirmedCluster:
    key: int
    label: str
    ideas: list[int]


@dataclass
class Clustering:
    assignment: np.ndarray  # cluster number per idea
    confirmed_of: dict[int, int]  # cluster number -> confirmed cluster key
    labels: dict[int, str]  # confirmed labels
    centres: np.ndarray  # features of each idea, for choosing representatives
    features: np.ndarray


def reduce(matrix: sparse.csr_matrix, seed: int = 0) -> np.ndarray:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    rows = matrix.shape[0]
    if rows <= 2:
        dense = normalize(matrix).toarray()
        return np.asarray(dense, dtype=np.float32)
    used = np.unique(matrix.indices)  # hashed features no idea uses would only slow the SVD down
    matrix = matrix[:, used]
    components = min(COMPONENTS, rows - 1, matrix.shape[1] - 1)
    svd = TruncatedSVD(n_components=components, algorithm="randomized", n_iter=4, random_state=seed)
    with np.errstate(
        invalid="ignore", divide="ignore"
    ):  # identical rows leave no variance to explain
        reduced = svd.fit_transform(matrix)
    return np.asarray(normalize(reduced), dtype=np.float32)


def _agglomerate(features: np.ndarray, similarity: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(features) == 1:
        return np.zeros(1, dtype=np.int64)
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - similarity
    )
    labels: np.ndarray = model.fit_predict(features)
    return labels


def _cluster(features: np.ndarray, seed: int, similarity: float) -> np.ndarray:
    """Cluster numbers from 0; an idea without any words is a cluster of its own."""
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.preprocessing import normalize

    empty = ~np.any(features, axis=1)
    if empty.any():
        labels = np.zeros(len(features), dtype=np.int64)
        found = (
            _cluster(features[~empty], seed, similarity)
            if (~empty).any()
            else np.zeros(0, dtype=np.int64)
        )
        labels[~empty] = found
        start = int(found.max()) + 1 if len(found) else 0
        labels[empty] = np.arange(start, start + int(empty.sum()))
        return labels
    if len(features) <= DIRECT_LIMIT:
        return _agglomerate(features, similarity)
    k = max(DIRECT_LIMIT // 2, len(features) // 40)
    k = min(k, DIRECT_LIMIT)
    kmeans = MiniBatchKMeans(
        n_clusters=k, random_state=seed, batch_size=4096, n_init=1, max_iter=50
    )
    fine = kmeans.fit_predict(features)
    centres = normalize(kmeans.cluster_centers_)
    coarse = _agglomerate(centres, similarity)
    result: np.ndarray = coarse[fine]
    return result


def cluster(
    features: np.ndarray,
    confirmed: Sequence[ConfirmedCluster],
    seed: int = 0,
    similarity: float = SIMILARITY["meaning"],
) -> Clustering:
    """Ideas from one unit-length vector per duplicate group."""
    from sklearn.preprocessing import normalize

    size = features.shape[0]
    assignment = np.full(size, -1, dtype=np.int64)
    confirmed_of: dict[int, int] = {}
    labels: dict[int, str] = {}
    centres = []
    for number, item in enumerate(confirmed):
        members = [i for i in item.ideas if 0 <= i < size]
        if not members:
            continue
        assignment[members] = number
        confirmed_of[number] = item.key
        labels[number] = item.label
        centres.append(normalize(features[members].mean(axis=0, keepdims=True))[0])
    free = np.where(assignment < 0)[0]
    if centres and len(free):
        closeness = features[free] @ np.vstack(centres).T
        best = closeness.argmax(axis=1)
        close = closeness[np.arange(len(free)), best] >= JOIN_CONFIRMED
        numbers = list(confirmed_of)
        for index, join in zip(free[close], best[close], strict=True):
            assignment[index] = numbers[join]
        free = np.where(assignment < 0)[0]
    if len(free):
        offset = (max(confirmed_of) + 1) if confirmed_of else 0
        assignment[free] = _cluster(features[free], seed, similarity) + offset
    return Clustering(
        assignment=assignment,
        confirmed_of=confirmed_of,
        labels=labels,
        centres=features,
        features=features,
    )


def representative(features: np.ndarray, members: Sequence[int]) -> int:
    """The member closest to the cluster's centre."""
    if len(members) == 1:
        return members[0]
    block = features[list(members)]
    centre = block.mean(axis=0)
    return members[int((block @ centre).argmax())]


def theme_count(ideas: int) -> int:
    """How many themes for that many ideas: about 8 to 40 for a few hundred inputs, growing slowly
    (60 at most)."""
    if ideas <= 1:
        return ideas
    return int(min(ideas, max(min(8, ideas), min(60, round(3 * ideas ** (1 / 3))))))


def themes(centres: np.ndarray, seed: int = 0, workers: Workers | None = None) -> np.ndarray:
    """A theme number for each idea, from the ideas' centres (one row each). With `workers`, the
    themes are checked for coherence where they run, each on its own."""
    from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
    from sklearn.preprocessing import normalize

    size = len(centres)
    count = theme_count(size)
    if size <= count:
        return np.arange(size, dtype=np.int64)
    centres = normalize(centres)
    if size <= DIRECT_LIMIT:
        labels: np.ndarray = AgglomerativeClustering(n_clusters=count, linkage="ward").fit_predict(
            centres
        )
    else:
        labels = MiniBatchKMeans(
            n_clusters=count, random_state=seed, batch_size=4096, n_init=3, max_iter=100
        ).fit_predict(centres)
    return split_incoherent(centres, labels, workers=workers)


def theme_parts(block: np.ndarray, floor: float) -> tuple[float, np.ndarray] | None:
    """A theme's cohesion and the part of each of its ideas (rows of `block`) when it must be
    split; None when its ideas all hold together (run where the work is done)."""
    from sklearn.cluster import AgglomerativeClustering

    similarity = block @ block.T
    if similarity.min() >= floor:
        return None
    parts: np.ndarray = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - floor
    ).fit_predict(block)
    return float(similarity.mean()), parts


def split_incoherent(
    centres: np.ndarray,
    labels: np.ndarray,
    floor: float = THEME_COHERENCE,
    most: int = MAX_THEMES,
    *,
    workers: Workers | None = None,
) -> np.ndarray:
    """Themes split where their ideas are far apart: within each theme, ideas are grouped by
    average linkage and join only at an average similarity of `floor` or more. The least coherent
    themes are split first, while there are at most `most` themes. Each theme is checked on its
    own, so `workers` may check them anywhere; the splits are made here, in the same order."""
    from sklearn.preprocessing import normalize

    centres = normalize(centres)
    labels = np.asarray(labels, dtype=np.int64).copy()
    checked = [
        members
        for members in (np.flatnonzero(labels == theme) for theme in np.unique(labels))
        if 2 <= len(members) <= COHERENCE_LIMIT
    ]
    found = (workers or InProcess()).map(
        functools.partial(theme_parts, floor=floor), (centres[members] for members in checked)
    )
    splits: list[tuple[float, np.ndarray]] = []  # (the theme's cohesion, ideas to move out)
    for members, split in zip(checked, found, strict=True):
        if split is None:
            continue
        cohesion, parts = split
        splits += [(cohesion, members[parts == part]) for part in range(1, int(parts.max()) + 1)]
    themes = len(np.unique(labels))
    following = int(labels.max()) + 1 if len(labels) else 0
    for _, moved in sorted(splits, key=lambda s: s[0]):
        if themes >= most:
            break
        labels[moved] = following
        following += 1
        themes += 1
    return _renumbered(labels)


def _renumbered(labels: np.ndarray) -> np.ndarray:
    _, numbers = np.unique(labels, return_inverse=True)
    result: np.ndarray = numbers.astype(np.int64)
    return result
