"""Exact and near duplicates: the same words, or MinHash/LSH-estimated Jaccard similarity of word
shingles above a threshold. Every submitter of a group is still credited; the group counts once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from datasketch import MinHash, MinHashLSH

from stocktake.analysis.text import normalise, shingles


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


def duplicate_roots(
    texts: Sequence[str],
    *,
    threshold: float = 0.8,
    num_perm: int = 64,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """For each text, the index of the first text of its duplicate group (itself when alone)."""
    groups = UnionFind(len(texts))
    first_of: dict[str, int] = {}
    unique: list[int] = []
    for index, text in enumerate(texts):
        key = normalise(text)
        if key in first_of:
            groups.union(first_of[key], index)
        else:
            first_of[key] = index
            unique.append(index)
    if len(unique) > 1:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        chunk = 20_000
        signatures: dict[int, MinHash] = {}
        for start in range(0, len(unique), chunk):
            batch = unique[start : start + chunk]
            for index, signature in zip(
                batch,
                MinHash.bulk([shingles(texts[i]) for i in batch], num_perm=num_perm),
                strict=True,
            ):
                matched = False
                for other in lsh.query(signature):
                    if signatures[other].jaccard(signature) >= threshold:
                        groups.union(other, index)
                        matched = True
                        break
                # Only the first text of each group is indexed, and a text joins the first group it
                # matches: a campaign of a million copies costs a million lookups, not a million squared.
                if not matched:
                    signatures[index] = signature
                    lsh.insert(index, signature)
            if progress:
                progress(len(batch))
    return [groups.find(i) for i in range(len(texts))]
