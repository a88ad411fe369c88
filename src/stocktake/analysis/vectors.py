"""Text vectors: hashed word and word-pair counts weighted by TF-IDF, the same for every script.
Hashing keeps memory flat however many inputs there are; nothing is learned or downloaded."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from stocktake.analysis.text import features

N_FEATURES = 2**19


class Vectoriser:
    def __init__(self) -> None:
        self.hasher = HashingVectorizer(
            analyzer=features,
            n_features=N_FEATURES,
            alternate_sign=False,
            norm=None,
            dtype=np.float32,
        )
        self.tfidf = TfidfTransformer(sublinear_tf=True)

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        counts = self.hasher.transform(texts)
        return self.tfidf.fit_transform(counts).astype(np.float32)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self.tfidf.transform(self.hasher.transform(texts)).astype(np.float32)
