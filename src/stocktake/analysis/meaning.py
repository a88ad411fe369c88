"""One meaning vector per duplicate group, embedded once per distinct text.

Vectors already kept (from an earlier run, keyed by the text's digest) are reused; only new texts are
embedded. Past `EMBED_LIMIT` groups, mini-batch k-means on the lexical vectors makes that many small
groups of near-identical wording and one text of each is embedded for all its members (texts with a
kept vector keep their own), so the cost of embedding stays bounded at any size."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from stocktake.analysis.clusters import reduce
from stocktake.analysis.vectors import Embedder, text_digest

EMBED_LIMIT = 20_000
"""Texts embedded in one run at most."""


@dataclass
class Meaning:
    features: np.ndarray  # one unit-length vector per duplicate group
    kind: str  # "meaning" or "tfidf", for the clustering threshold
    model: str
    new: dict[str, np.ndarray] = field(default_factory=dict)  # digest -> vector, to keep
    embedded: int = 0
    reused: int = 0


def idea_vectors(
    texts: Sequence[str],
    ideas: Sequence[int],
    matrix: sparse.csr_matrix,
    embedder: Embedder | None,
    *,
    known: Mapping[str, np.ndarray],
    seed: int = 0,
) -> Meaning:
    """Vectors of the texts at rows `ideas` (one per duplicate group)."""
    if embedder is None or not ideas:
        return Meaning(reduce(matrix[list(ideas)], seed), "tfidf", "tfidf")
    digests = [text_digest(texts[row]) for row in ideas]
    owner = np.arange(len(ideas))  # the idea whose vector each idea takes
    if len(ideas) > EMBED_LIMIT:
        lexical = reduce(matrix[list(ideas)], seed)
        from sklearn.cluster import MiniBatchKMeans

        groups = MiniBatchKMeans(
            n_clusters=EMBED_LIMIT, random_state=seed, batch_size=4096, n_init=1, max_iter=20
        ).fit_predict(lexical)
        first = np.full(EMBED_LIMIT, -1, dtype=np.int64)
        for index in range(len(ideas) - 1, -1, -1):  # the earliest member speaks for its group
            first[groups[index]] = index
        owner = first[groups]
        for index, digest in enumerate(digests):
            if digest in known:
                owner[index] = index
    vectors = np.zeros((len(ideas), embedder.dimensions), dtype=np.float32)
    needed: dict[str, int] = {}
    reused = 0
    for index in np.unique(owner):
        digest = digests[index]
        if digest in known:
            vectors[index] = known[digest]
            reused += 1
        else:
            needed.setdefault(digest, int(index))
    new: dict[str, np.ndarray] = {}
    if needed:
        embedded = embedder.embed([texts[ideas[index]] for index in needed.values()])
        for digest, vector in zip(needed, embedded, strict=True):
            new[digest] = vector
        for index in np.unique(owner):
            if digests[index] in new:
                vectors[index] = new[digests[index]]
    vectors = vectors[owner]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    vectors /= norms
    return Meaning(vectors, "meaning", embedder.name, new, embedded=len(new), reused=reused)
