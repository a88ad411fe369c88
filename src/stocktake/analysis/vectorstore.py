"""Meaning vectors kept in the database, one per distinct text and model: a run reads those of its
texts and adds those it computed, so a re-run embeds only new inputs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from stocktake.analysis.models import TextVector
from stocktake.analysis.vectors import embedder_for, pack, text_digest, unpack

CHUNK = 500


def known_vectors(session: Session, backend: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """The kept vectors of these texts for the backend's model, by digest."""
    embedder = embedder_for(backend)
    if embedder is None:
        return {}
    digests = sorted({text_digest(text) for text in texts})
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(digests), CHUNK):
        for digest, vector in session.execute(
            select(TextVector.digest, TextVector.vector).where(
                TextVector.model == embedder.name,
                TextVector.digest.in_(digests[start : start + CHUNK]),
            )
        ):
            found[digest] = unpack(vector)
    return found


def keep_vectors(session: Session, model: str, vectors: Mapping[str, np.ndarray]) -> None:
    """Store new vectors (in the caller's transaction)."""
    rows = [{"model": model, "digest": d, "vector": pack(v)} for d, v in vectors.items()]
    for start in range(0, len(rows), 10_000):
        session.execute(insert(TextVector), rows[start : start + 10_000])
