"""Exact and near duplicates, as a campaign sends them: the same words, or the same text with
framing sentences added before or after, words dropped or changed, other case and punctuation.

Two texts are near-duplicates when the shorter one is almost wholly *contained* in the longer: most
of its content words, and most of its pairs of consecutive content words, are found in the other
(containment, not Jaccard similarity, so that a sentence added around a copy does not hide it).
Candidates come from MinHash signatures of the content words and locality-sensitive hashing
(datasketch) at a low Jaccard threshold; each candidate is then checked exactly. Every submitter
of a group is still credited; the group counts once."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from stocktake.analysis.spread import InProcess, Workers, chunked
from stocktake.analysis.text import normalise, terms

if TYPE_CHECKING:
    from datasketch import MinHashLSH
    from datasketch.lean_minhash import LeanMinHash

WORD_CONTAINMENT = 0.7
"""Share of the shorter text's content words found in the other."""
PAIR_CONTAINMENT = 0.5
"""Share of the shorter text's pairs of consecutive content words found in the other."""
MIN_TERMS = 4
"""A text with fewer distinct content words is a duplicate only of a text with the same words."""
CANDIDATE_THRESHOLD = 0.3
"""Jaccard similarity of content words from which LSH proposes a candidate to check."""
CLOSE_THRESHOLD = 0.7
"""The same, for the first, cheaper look-up that finds most copies."""
MAX_CANDIDATES = 64
"""Candidates checked per text at most, most similar first: keeps the cost linear."""
INDEXED_PER_GROUP = 32
"""Members of a group held in the index at most: its first text and the first few variants that
differ from it."""
KEPT_PROFILES = 200_000
"""Profiles of indexed texts kept in memory; past that, they are computed again when needed."""


class UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller index stays the root, so a group's root is its earliest member
            self.parent[max(ra, rb)] = min(ra, rb)


Profile = tuple[frozenset[str], frozenset[str]]


def profile(text: str) -> Profile:
    """The content words of a text and its pairs of consecutive content words."""
    words = terms(text)
    return frozenset(words), frozenset(f"{a} {b}" for a, b in itertools.pairwise(words))


def _contained(a: frozenset[str], b: frozenset[str]) -> float:
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def containment(a: Profile, b: Profile, words: float = WORD_CONTAINMENT) -> float:
    """How far the shorter text is contained in the other: the lower of the shares of its content
    words and of its word pairs found in the other, each divided by its threshold (1 or more: a
    near-duplicate)."""
    (words_a, pairs_a), (words_b, pairs_b) = a, b
    if min(len(words_a), len(words_b)) < MIN_TERMS:
        return 1.0 if words_a and words_a == words_b else 0.0
    return min(
        _contained(words_a, words_b) / words,
        _contained(pairs_a, pairs_b) / PAIR_CONTAINMENT,
    )


def near_duplicates(a: Profile, b: Profile) -> bool:
    """True when the shorter text is (almost) contained in the other."""
    return containment(a, b) >= 1


def normalised(texts: Sequence[str]) -> list[str]:
    """The texts as compared for exact copies (run where the work is done)."""
    return [normalise(text) for text in texts]


def sketches(texts: Sequence[str], num_perm: int) -> tuple[list[Profile], np.ndarray, str]:
    """The profiles of a chunk of texts, their MinHash signatures (one row each) and the
    signatures' scheme (run where the work is done; the signatures' seed is fixed, so they are the
    same everywhere)."""
    from datasketch import MinHash

    profiles = [profile(text) for text in texts]
    signatures = MinHash.bulk(
        [{w.encode() for w in words} or {b""} for words, _ in profiles], num_perm=num_perm
    )
    return profiles, np.vstack([s.hashvalues for s in signatures]), signatures[0].scheme


def duplicate_roots(
    texts: Sequence[str],
    *,
    containment: float = WORD_CONTAINMENT,
    num_perm: int = 64,
    progress: Callable[[int], None] | None = None,
    workers: Workers | None = None,
) -> list[int]:
    """For each text, the index of the first text of its duplicate group (itself when alone).
    With `workers`, the texts' keys, profiles and signatures are computed chunk by chunk where
    they run; the groups are merged here, text by text in the same order: the same groups."""
    groups = UnionFind(len(texts))
    first_of: dict[str, int] = {}
    unique: list[int] = []
    keys: Iterable[str] = (
        (normalise(text) for text in texts)
        if workers is None
        else itertools.chain.from_iterable(workers.map(normalised, chunked(texts, workers.chunk)))
    )
    for index, key in enumerate(keys):
        if not key:  # no words: a duplicate of nothing
            continue
        if key in first_of:
            groups.union(first_of[key], index)
        else:
            first_of[key] = index
            unique.append(index)
    del first_of
    if len(unique) > 1:
        _near(
            texts,
            unique,
            groups,
            words=containment,
            num_perm=num_perm,
            progress=progress,
            workers=workers or InProcess(),
        )
    return [groups.find(i) for i in range(len(texts))]


def _near(
    texts: Sequence[str],
    unique: list[int],
    groups: UnionFind,
    *,
    words: float,
    num_perm: int,
    progress: Callable[[int], None] | None,
    workers: Workers,
) -> None:
    from datasketch import MinHashLSH
    from datasketch.lean_minhash import LeanMinHash

    # Two indexes of the same texts: the close one (few candidates) finds most copies cheaply;
    # the wide one is asked only when the close one found nothing.
    close = MinHashLSH(threshold=CLOSE_THRESHOLD, num_perm=num_perm)
    wide = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=num_perm)
    bank = np.zeros((1024, num_perm), dtype=np.uint32)  # signatures of the indexed texts
    slot: dict[int, int] = {}
    held: dict[int, int] = {}
    kept: dict[int, Profile] = {}

    def match(index: int, mine: Profile, signature: LeanMinHash, lsh: MinHashLSH) -> float:
        candidates = lsh.query(signature)
        if len(candidates) > 1:
            # most similar first (MinHash estimate): the first match is usually the first
            agreement = (bank[[slot[c] for c in candidates]] == signature.hashvalues).sum(axis=1)
            candidates = [
                candidates[i] for i in np.argsort(-agreement, kind="stable")[:MAX_CANDIDATES]
            ]
        for other in candidates:
            score = containment(mine, kept.get(other) or profile(texts[other]), words)
            if score >= 1:
                groups.union(other, index)
                return score
        return 0.0

    batches = list(chunked(unique, workers.chunk))
    sketched = workers.map(
        functools.partial(sketches, num_perm=num_perm),
        ([texts[i] for i in batch] for batch in batches),
    )
    for batch, (profiles, hashvalues, scheme) in zip(batches, sketched, strict=True):
        for index, mine, values in zip(batch, profiles, hashvalues, strict=True):
            if len(mine[0]) < MIN_TERMS:
                continue
            signature = LeanMinHash(seed=1, hashvalues=values, scheme=scheme)
            # A text joins the first group it matches. It is held in the index too when it
            # differs from what matched and its group holds few texts, so that a copy of a copy
            # is found: a campaign of a million copies costs a million look-ups, not a million
            # squared.
            score = match(index, mine, signature, close) or match(index, mine, signature, wide)
            root = groups.find(index)
            if score and (score >= 1 / words or held.get(root, 0) >= INDEXED_PER_GROUP):
                continue
            held[root] = held.get(root, 0) + 1
            if len(slot) == len(bank):
                bank = np.vstack([bank, np.zeros_like(bank)])
            slot[index] = len(slot)
            bank[slot[index]] = signature.hashvalues
            if len(kept) < KEPT_PROFILES:
                kept[index] = mine
            close.insert(index, signature)
            wide.insert(index, signature)
        if progress:
            progress(len(batch))
