from __future__ import annotations

import numpy as np

from stocktake.analysis.clusters import THEME_COHERENCE, split_incoherent


def _unit(*values: float) -> list[float]:
    vector = np.array(values, dtype=np.float64)
    return list(vector / np.linalg.norm(vector))


def test_a_theme_whose_ideas_are_far_apart_is_split() -> None:
    # two ideas on one subject (similarity 0.8) and one on another (0.1 from both), in one theme
    centres = np.array([_unit(1, 0, 0), _unit(0.8, 0.6, 0), _unit(0.1, 0, 0.995)])
    labels = split_incoherent(centres, np.array([0, 0, 0]))
    assert labels[0] == labels[1]
    assert labels[2] != labels[0]


def test_a_coherent_theme_stays_whole_and_the_number_of_themes_is_capped() -> None:
    close = np.array([_unit(1, 0, 0), _unit(0.9, 0.436, 0)])
    assert float(close[0] @ close[1]) >= THEME_COHERENCE
    assert list(split_incoherent(close, np.array([0, 0]))) == [0, 0]
    apart = np.eye(4)
    assert len(set(split_incoherent(apart, np.zeros(4, dtype=np.int64), most=2))) == 2
