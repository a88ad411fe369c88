"""Divergences: on a theme the process definition names, which inputs take which position.
A divergence is surfaced when at least two positions each have enough distinct actors behind them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from stocktake.analysis.tagging import seed_similarity
from stocktake.analysis.vectors import Vectoriser
from stocktake.process.definition import Divergence

MIN_SCORE = 0.03
MARGIN = 1.2


@dataclass
class PositionResult:
    key: str
    name: str
    rows: list[int]


@dataclass
class DivergenceResult:
    key: str
    name: str
    description: str
    positions: list[PositionResult]


def find_divergences(
    matrix: sparse.csr_matrix,
    vectoriser: Vectoriser,
    themes: Sequence[Divergence],
    input_types: Sequence[Sequence[str]],
    dimensions: Sequence[Sequence[str]],
) -> list[DivergenceResult]:
    results = []
    for theme in themes:
        scope = [
            row
            for row in range(matrix.shape[0])
            if (not theme.input_types or set(theme.input_types) & set(input_types[row]))
            and (not theme.dimensions or set(theme.dimensions) & set(dimensions[row]))
        ]
        positions = [PositionResult(p.key, p.name, []) for p in theme.positions]
        if scope:
            seeds = [
                " ".join([p.name, p.description, *p.keywords, *p.keywords]) for p in theme.positions
            ]
            scores = seed_similarity(matrix[scope], vectoriser, seeds)
            order = np.argsort(-scores, axis=1)
            for offset, row in enumerate(scope):
                best, second = order[offset, 0], order[offset, 1]
                top = scores[offset, best]
                if top >= MIN_SCORE and top >= MARGIN * scores[offset, second]:
                    positions[best].rows.append(row)
        results.append(DivergenceResult(theme.key, theme.name, theme.description, positions))
    return results
