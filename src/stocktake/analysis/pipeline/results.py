"""What the analysis reads and gives: documents with their actors, parameters, and the result of a
run (duplicates, ideas, themes, tags, links, divergences) with the support behind each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stocktake.analysis.meaning import Meaning
from stocktake.frameworks.sdg import SdgFramework
from stocktake.process.definition import ProcessDefinition


@dataclass(frozen=True)
class ActorInfo:
    code: str
    name: str
    kind: str
    region: str | None = None
    regional_group: str | None = None
    category: str | None = None


@dataclass
class Doc:
    key: int
    actor: ActorInfo
    text: str
    title: str = ""
    language: str = "und"
    external_id: str | None = None
    given: dict[str, list[str]] = field(default_factory=dict)
    confirmed: dict[str, list[str]] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """How files and the summary name an input: its external id when it has one."""
        return self.external_id or str(self.key)


@dataclass(frozen=True)
class Params:
    duplicate_threshold: float = 0.7  # share of a text's content words found in its copy
    num_perm: int = 64
    seed: int = 0
    vectors: str = "multilingual"  # the meaning backend: multilingual or tfidf
    language: str = "en"  # the summary's: representatives and labels are chosen in it

    def as_dict(self) -> dict[str, Any]:
        return {
            "duplicate_threshold": self.duplicate_threshold,
            "num_perm": self.num_perm,
            "seed": self.seed,
            "vectors": self.vectors,
            "language": self.language,
        }


@dataclass
class Support:
    inputs: int = 0
    actors: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    by_regional_group: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "actors": self.actors,
            "by_kind": self.by_kind,
            "by_region": self.by_region,
            "by_regional_group": self.by_regional_group,
            "by_category": self.by_category,
        }


def support_of(docs: Sequence[Doc], rows: Sequence[int]) -> Support:
    actors: dict[str, ActorInfo] = {}
    for row in rows:
        actors.setdefault(docs[row].actor.code, docs[row].actor)

    def count(values: list[str | None]) -> dict[str, int]:
        return dict(sorted(Counter(v for v in values if v).items(), key=lambda kv: (-kv[1], kv[0])))

    infos = list(actors.values())
    return Support(
        inputs=len(rows),
        actors=len(infos),
        by_kind=count([a.kind for a in infos]),
        by_region=count([a.region for a in infos]),
        by_regional_group=count([a.regional_group for a in infos]),
        by_category=count([a.category for a in infos]),
    )


@dataclass
class ClusterResult:
    number: int
    label: str
    representative: int
    rows: list[int]
    ideas: int
    support: Support
    confirmed_key: int | None = None
    language: str = "und"  # of the representative's text
    dimensions: list[str] = field(default_factory=list)
    input_types: list[str] = field(default_factory=list)


@dataclass
class ThemeResult:
    number: int
    label: str
    representative: int
    rows: list[int]
    clusters: list[int]
    support: Support


@dataclass
class PositionOut:
    key: str
    name: str
    rows: list[int]
    support: Support


@dataclass
class DivergenceOut:
    key: str
    name: str
    description: str
    positions: list[PositionOut]
    surfaced: bool


@dataclass
class Result:
    docs: list[Doc]
    params: Params
    duplicate_root: list[int]
    tags: dict[str, list[list[str]]]
    tag_source: dict[str, list[str]]
    tag_confidence: list[float]
    goals: list[list[str]]
    targets: list[list[str]]
    link_confidence: list[float]
    clusters: list[ClusterResult]
    cluster_of: list[int]
    divergences: list[DivergenceOut]
    seconds: dict[str, float]
    themes: list[ThemeResult] = field(default_factory=list)
    theme_of_cluster: list[int] = field(default_factory=list)
    meaning: Meaning | None = None
    notes: dict[int, str] = field(default_factory=dict)  # row -> what a reader should know

    def duplicate_groups(self) -> list[list[int]]:
        groups: dict[int, list[int]] = {}
        for row, root in enumerate(self.duplicate_root):
            groups.setdefault(root, []).append(row)
        return [rows for rows in groups.values() if len(rows) > 1]


@dataclass(frozen=True)
class Context:
    definition: ProcessDefinition
    framework: SdgFramework | None = None
    confirmed_clusters: Sequence[tuple[int, str, list[int]]] = ()  # (key, label, doc rows)
    earlier_ideas: Sequence[tuple[str, list[int]]] = ()
    """The ideas of the process's previous run, (label, doc rows): an idea most of whose inputs
    persist keeps its label."""
    known_vectors: Mapping[str, np.ndarray] = field(default_factory=dict)  # digest -> vector


def analysed_text(doc: Doc) -> str:
    """What the analysis reads of an input: its title and its text."""
    return f"{doc.title}\n{doc.text}" if doc.title else doc.text
