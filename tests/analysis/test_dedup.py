from __future__ import annotations

import random

import pytest

from stocktake.analysis.dedup import duplicate_roots, near_duplicates, profile
from stocktake.analysis.evaluation import campaign_variant

ORIGINAL = "Use community-based alternatives instead of locking up asylum seekers and migrants."


@pytest.mark.parametrize(
    "copy",
    [
        f"Our delegation proposes the following. {ORIGINAL}",
        f"{ORIGINAL} This should be done as a matter of priority.",
        "use community-based alternatives instead of locking up asylum seekers and migrants",
        "USE COMMUNITY-BASED ALTERNATIVES INSTEAD OF LOCKING UP SEEKERS AND MIGRANTS!",
        "Use community-based options instead of locking up asylum seekers and migrants; now.",
    ],
)
def test_a_copy_with_framing_dropped_or_changed_words_is_a_near_duplicate(copy: str) -> None:
    assert near_duplicates(profile(ORIGINAL), profile(copy))
    assert duplicate_roots([ORIGINAL, "Fund schools for migrant children.", copy]) == [0, 1, 0]


@pytest.mark.parametrize(
    "other",
    [
        "Use community-based alternatives to detention for children.",  # same start, other idea
        "Stop locking up children: end immigration detention of minors everywhere.",
        "Migrants",
        "",
    ],
)
def test_other_texts_are_not_near_duplicates(other: str) -> None:
    assert not near_duplicates(profile(ORIGINAL), profile(other))


def test_one_or_two_words_are_duplicates_only_of_the_same_words() -> None:
    assert duplicate_roots(["Migrants", "migrants!", "Migrants and refugees"]) == [0, 0, 2]


def test_copies_of_copies_join_one_group_whatever_the_order() -> None:
    rng = random.Random(3)  # noqa: S311  (reproducible copies)
    copies = [campaign_variant(ORIGINAL, "en", rng) for _ in range(30)]
    roots = duplicate_roots([*copies, ORIGINAL])
    assert set(roots) == {0}


def test_a_large_campaign_keeps_few_texts_in_the_index() -> None:
    rng = random.Random(4)  # noqa: S311  (reproducible copies)
    texts = [campaign_variant(ORIGINAL, "en", rng) for _ in range(2000)]
    assert set(duplicate_roots(texts)) == {0}
