from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from stocktake.analysis.vectors import (
    MultilingualEmbedder,
    embedder_for,
    pack,
    text_digest,
    unpack,
)

# Loads the model with every network connection refused: the weights ship with the install.
OFFLINE = """
import socket

def refuse(*args, **kwargs):
    raise OSError("no network")

socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from stocktake.analysis.vectors import MultilingualEmbedder
vectors = MultilingualEmbedder().embed(["Fund schools for migrant children.", "Financer des écoles pour les enfants migrants."])
print(round(float(vectors[0] @ vectors[1]), 2))
"""


def test_the_model_loads_and_embeds_with_no_network() -> None:
    done = subprocess.run(  # noqa: S603  (this interpreter, on a fixed script)
        [sys.executable, "-c", OFFLINE], capture_output=True, text=True, check=True, timeout=120
    )
    assert float(done.stdout) > 0.7


def test_translations_and_paraphrases_are_close_other_ideas_are_not() -> None:
    vectors = MultilingualEmbedder().embed(
        [
            "Guarantee that every migrant child is registered at birth.",
            "Garantizar que todo niño migrante sea inscrito al nacer.",
            "ضمان تسجيل كل طفل مهاجر عند الولادة.",
            "Make sure each child of migrants gets a birth certificate.",
            "Lower the cost of sending remittances below three per cent.",
        ]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    similar = vectors[0] @ vectors[1:4].T
    assert similar.min() > 0.5
    assert vectors[0] @ vectors[4] < similar.min() - 0.2


def test_empty_and_very_long_texts_are_embedded() -> None:
    vectors = MultilingualEmbedder().embed(["", "   ", "word " * 20_000])
    assert vectors.shape == (3, 512)
    assert np.isfinite(vectors).all()


def test_backends_by_name_and_kept_vectors() -> None:
    assert embedder_for("tfidf") is None
    assert isinstance(embedder_for("multilingual"), MultilingualEmbedder)
    with pytest.raises(ValueError, match="unknown vectors backend"):
        embedder_for("other")
    vector = MultilingualEmbedder().embed(["Protect migrant workers."])[0]
    assert np.allclose(unpack(pack(vector)), vector, atol=1e-3)
    assert text_digest("Protect  migrant\nworkers.") == text_digest("Protect migrant workers.")
