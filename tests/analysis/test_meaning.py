from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from stocktake.analysis import meaning
from stocktake.analysis.meaning import idea_vectors
from stocktake.analysis.vectors import Vectoriser, text_digest


class Counting:
    """An embedder that records what it is asked to embed."""

    name = "counting"
    dimensions = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        vectors = np.array(
            [[(hash(t) >> s) % 7 + 1 for s in range(self.dimensions)] for t in texts],
            dtype=np.float32,
        )
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_reference(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed(texts)


WORDS = [
    "schools",
    "clinics",
    "housing",
    "courts",
    "shelters",
    "training",
    "jobs",
    "loans",
    "maps",
    "radio",
]
TEXTS = [
    f"Fund {word} and {other} for migrants"
    for word, other in zip(WORDS, WORDS[1:] + WORDS[:1], strict=True)
]


def test_each_distinct_text_is_embedded_once_and_kept_vectors_are_reused() -> None:
    matrix = Vectoriser().fit_transform(TEXTS)
    embedder = Counting()
    first = idea_vectors(TEXTS, list(range(10)), matrix, embedder, known={})
    assert len(embedder.seen) == 10
    assert set(first.new) == {text_digest(t) for t in TEXTS}
    again = Counting()
    second = idea_vectors(TEXTS, list(range(10)), matrix, again, known=first.new)
    assert again.seen == []
    assert second.reused == 10
    assert np.allclose(first.features, second.features, atol=1e-6)


def test_past_the_limit_one_text_of_each_small_group_is_embedded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(meaning, "EMBED_LIMIT", 4)
    matrix = Vectoriser().fit_transform(TEXTS)
    embedder = Counting()
    result = idea_vectors(TEXTS, list(range(10)), matrix, embedder, known={})
    assert len(embedder.seen) == 4
    assert len({tuple(row) for row in result.features.round(5)}) == 4
    assert np.allclose(np.linalg.norm(result.features, axis=1), 1, atol=1e-5)
