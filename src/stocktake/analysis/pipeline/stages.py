"""The stages of the analysis, run in order on documents in memory: vectors, duplicates, meaning,
tags, links, clusters and themes, divergences. The ideas (clusters) are found before the tags, whose
dimensions blend each wording with the other wordings of its idea; they are then described after the
links."""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from stocktake.analysis.bymeaning import meaning_probabilities
from stocktake.analysis.clusters import (
    SIMILARITY,
    Clustering,
    ConfirmedCluster,
    cluster,
    themes,
)
from stocktake.analysis.dedup import duplicate_roots
from stocktake.analysis.divergence import find_divergences
from stocktake.analysis.labels import label_of, speaker
from stocktake.analysis.links import link_inputs
from stocktake.analysis.meaning import Meaning, idea_vectors
from stocktake.analysis.pipeline.results import (
    ClusterResult,
    Context,
    DivergenceOut,
    Doc,
    Params,
    PositionOut,
    Result,
    ThemeResult,
    analysed_text,
    support_of,
)
from stocktake.analysis.spread import Workers
from stocktake.analysis.tagging import (
    MEANING_WEIGHT,
    Vocabulary,
    description_phrases,
    seed_probabilities,
    tag,
)
from stocktake.analysis.text import analysis_note
from stocktake.analysis.vectors import Vectoriser, embedder_for
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text
from stocktake.process.definition import ProcessDefinition
from stocktake.process.terms import TagSource

Progress = Callable[[str, float], None]


STAGES = ("vectors", "duplicates", "meaning", "tags", "links", "clusters", "divergences")


def vocabularies(definition: ProcessDefinition) -> list[Vocabulary]:
    result = []
    for name, multi in (("dimensions", True), ("input_types", False)):
        terms = definition.vocabulary(name)
        seeds = [
            " ".join([*term.all_names().values(), term.description, *term.keywords, *term.keywords])
            for term in terms
        ]
        result.append(
            Vocabulary(
                name=name,
                keys=[t.key for t in terms],
                seeds=seeds,
                multi_label=multi,
                # dimensions are subjects, which meaning compares well; input types are kinds of
                # proposal (a commitment, a means), which it does not
                descriptions=[
                    [
                        f"{t.name}. {t.description}",
                        *description_phrases(t.description),
                        *t.keywords,
                        *t.examples,
                    ]
                    for t in terms
                ]
                if name == "dimensions"
                else [],
            )
        )
    return result


def run_pipeline(
    docs: Sequence[Doc],
    context: Context,
    params: Params | None = None,
    progress: Progress | None = None,
    workers: Workers | None = None,
) -> Result:
    """Analyse every document; refuse an empty set. Pure: reads nothing, writes nothing. With
    `workers` (a Dask cluster's), the heavy stages do the work that goes input by input (vectors,
    duplicates, meaning) or theme by theme (the themes' coherence) there; the results are the
    same."""
    if not docs:
        raise ValidationFailed("analysis", [Problem("", Text("there are no inputs to analyse"))])
    params = params or Params()
    report = progress or (lambda _stage, _fraction: None)
    docs = list(docs)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = round(now - clock, 3)
        clock = now
        report(stage, (STAGES.index(stage) + 1) / len(STAGES))

    # Millions of small objects make Python's cyclic garbage collector rescan everything again and
    # again; the pipeline creates no reference cycles, so it is paused while it runs.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(docs, context, params, lap, seconds=seconds, workers=workers)
    finally:
        if collecting:
            gc.enable()


def _run(
    docs: list[Doc],
    context: Context,
    params: Params,
    lap: Callable[[str], None],
    *,
    seconds: dict[str, float],
    workers: Workers | None,
) -> Result:
    texts = [analysed_text(d) for d in docs]
    vectoriser = Vectoriser()
    matrix = vectoriser.fit_transform(texts, workers)
    lap("vectors")
    roots = duplicate_roots(
        texts, containment=params.duplicate_threshold, num_perm=params.num_perm, workers=workers
    )
    lap("duplicates")
    ideas = sorted(set(roots))
    # a group's meaning is that of its plainest copy: the shortest, with the least framing
    plainest: dict[int, int] = {}
    for row, root in enumerate(roots):
        if len(texts[row]) < len(texts[plainest.setdefault(root, row)]):
            plainest[root] = row
    meaning = idea_vectors(
        texts,
        [plainest[root] for root in ideas],
        matrix,
        embedder_for(params.vectors, workers),
        known=context.known_vectors,
        seed=params.seed,
    )
    notes = {}
    for row, text in enumerate(texts):
        readable, note = analysis_note(text)
        if note:
            notes[row] = note
        if not readable and meaning.kind == "meaning" and roots[row] == row:
            # no meaning to compare: it stays an idea of its own
            meaning.features[_position(ideas, row)] = 0
    lap("meaning")
    # ideas are found before tags: the wordings of one idea share their dimensions
    idea_of_root = {root: index for index, root in enumerate(ideas)}
    clustering = _clustering(docs, meaning, roots, idea_of_root, context=context, params=params)
    wording = np.fromiter((idea_of_root[root] for root in roots), dtype=np.int64, count=len(roots))
    tags: dict[str, list[list[str]]] = {}
    sources: dict[str, list[str]] = {}
    confidence = np.ones(len(docs), dtype=np.float32)
    for vocabulary in vocabularies(context.definition):
        labelled = {
            row: d.confirmed[vocabulary.name]
            for row, d in enumerate(docs)
            if d.confirmed.get(vocabulary.name)
        }
        seeds = seed_probabilities(matrix, vectoriser, vocabulary)
        predicted = tag(
            matrix,
            vectoriser,
            vocabulary,
            labelled,
            _meaning_of_terms(
                meaning, roots, ideas, vocabulary, params, seeds=seeds, labelled=labelled
            ),
            seeds=seeds,
            ideas=(wording, clustering.assignment) if vocabulary.name == "dimensions" else None,
        )
        keys, source = [], []
        for row, doc in enumerate(docs):
            chosen, row_keys = TagSource.strongest(
                {
                    TagSource.SECRETARIAT: doc.confirmed.get(vocabulary.name),
                    TagSource.SUBMITTER: doc.given.get(vocabulary.name),
                    TagSource.ANALYSIS: predicted.keys[row],
                }
            )
            keys.append(row_keys)
            source.append(chosen.value)
            if chosen is TagSource.ANALYSIS:
                confidence[row] = min(confidence[row], predicted.confidence[row])
        tags[vocabulary.name], sources[vocabulary.name] = keys, source
    lap("tags")
    links = link_inputs(
        meaning.features,
        [idea_of_root[root] for root in roots],
        [d.references for d in docs],
        embedder_for(params.vectors),
        framework=context.framework,
        fallback=(matrix, [d.language for d in docs], vectoriser),
    )
    lap("links")
    clusters, cluster_of, idea_features = _clusters(
        docs, clustering, roots, tags=tags, context=context, params=params
    )
    keep_labels(clusters, context.earlier_ideas)
    found_themes, theme_of_cluster = _themes(
        docs, clusters, idea_features, params.seed, workers=workers
    )
    lap("clusters")
    divergences = _divergences(docs, matrix, vectoriser, context, tags)
    lap("divergences")
    return Result(
        docs=docs,
        params=params,
        duplicate_root=roots,
        tags=tags,
        tag_source=sources,
        tag_confidence=[round(float(c), 4) for c in confidence],
        goals=links.goals,
        targets=links.targets,
        link_confidence=[round(c, 4) for c in links.confidence],
        clusters=clusters,
        cluster_of=cluster_of,
        divergences=divergences,
        seconds=seconds,
        themes=found_themes,
        theme_of_cluster=theme_of_cluster,
        meaning=meaning,
        notes=notes,
    )


def _meaning_of_terms(
    meaning: Meaning,
    roots: list[int],
    ideas: list[int],
    vocabulary: Vocabulary,
    params: Params,
    *,
    seeds: np.ndarray,
    labelled: dict[int, list[str]],
) -> np.ndarray | None:
    """Each input's probability of each term by meaning (`bymeaning`), from its idea's (None on the
    fallback's word vectors)."""
    embedder = embedder_for(params.vectors)
    if meaning.kind != "meaning" or embedder is None or not vocabulary.descriptions:
        return None
    texts = [
        np.asarray(embedder.embed_reference(list(term)), dtype=np.float32)
        if term
        else np.zeros((0, meaning.features.shape[1]), dtype=np.float32)
        for term in vocabulary.descriptions
    ]
    position = {root: index for index, root in enumerate(ideas)}
    of_row = np.fromiter((position[root] for root in roots), dtype=np.int64, count=len(roots))
    taught: dict[int, list[str]] = {}
    for row, keys in labelled.items():
        taught.setdefault(int(of_row[row]), []).extend(keys)
    # an idea's seeds: the mean of its inputs'
    by_idea = (
        np.column_stack(
            [np.bincount(of_row, weights=column, minlength=len(ideas)) for column in seeds.T]
        )
        / np.bincount(of_row, minlength=len(ideas))[:, None]
    )
    probabilities = meaning_probabilities(
        meaning.features,
        texts,
        by_idea,
        taught=taught,
        keys=vocabulary.keys,
        meaning_weight=MEANING_WEIGHT,
    )
    result: np.ndarray = probabilities[of_row]
    return result


def keep_labels(clusters: list[ClusterResult], earlier: Sequence[tuple[str, list[int]]]) -> None:
    """An idea keeps the label it had in the previous run when most of its inputs persist: more
    than half of the earlier idea's inputs are in it and make more than half of it. A label the
    secretariat confirmed is never replaced."""
    if not earlier:
        return
    cluster_of = {row: c.number for c in clusters for row in c.rows}
    for label, rows in earlier:
        if not rows:
            continue
        counts = Counter(cluster_of[row] for row in rows if row in cluster_of)
        if not counts:
            continue
        number, shared = counts.most_common(1)[0]
        cluster = clusters[number]
        if (
            cluster.confirmed_key is None
            and 2 * shared > len(rows)
            and 2 * shared > len(cluster.rows)
        ):
            cluster.label = label


def _clustering(
    docs: list[Doc],
    meaning: Meaning,
    roots: list[int],
    idea_of_root: dict[int, int],
    *,
    context: Context,
    params: Params,
) -> Clustering:
    """The ideas (clusters) of the distinct texts, with the secretariat's confirmed ones."""
    confirmed = []
    for key, label, rows in context.confirmed_clusters:
        members = sorted({idea_of_root[roots[row]] for row in rows if 0 <= row < len(docs)})
        confirmed.append(ConfirmedCluster(key=key, label=label, ideas=members))
    return cluster(
        meaning.features, confirmed, seed=params.seed, similarity=SIMILARITY[meaning.kind]
    )


def _clusters(
    docs: list[Doc],
    clustering: Clustering,
    roots: list[int],
    *,
    tags: dict[str, list[list[str]]],
    context: Context,
    params: Params,
) -> tuple[list[ClusterResult], list[int], np.ndarray]:
    ideas = sorted(set(roots))
    idea_of_root = {root: index for index, root in enumerate(ideas)}
    row_cluster = [int(clustering.assignment[idea_of_root[root]]) for root in roots]
    # The secretariat's membership is kept input by input, even where copies of one text went to
    # different clusters; everything else follows its idea.
    number_of_key = {key: number for number, key in clustering.confirmed_of.items()}
    labels = dict(clustering.labels)
    next_number = max(row_cluster) + 1
    for key, label, rows in context.confirmed_clusters:
        if key not in number_of_key:
            number_of_key[key], next_number = next_number, next_number + 1
        number = number_of_key[key]
        labels[number] = label
        for row in rows:
            if 0 <= row < len(docs):
                row_cluster[row] = number
    confirmed_of = {number: key for key, number in number_of_key.items()}
    by_number: dict[int, list[int]] = {}
    for row, number in enumerate(row_cluster):
        by_number.setdefault(number, []).append(row)
    results = []
    cluster_of = [-1] * len(docs)
    for number, (original, rows) in enumerate(
        sorted(by_number.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ):
        for row in rows:
            cluster_of[row] = number
        idea_list = sorted({idea_of_root[roots[row]] for row in rows})
        best = ideas[
            speaker(
                clustering.features,
                idea_list,
                [docs[ideas[i]].language for i in idea_list],
                params.language,
            )
        ]
        if roots[best] != best or row_cluster[best] != original:
            best = rows[0]
        # of a campaign, the plainest copy speaks: the shortest, in the summary's language
        copies = [row for row in rows if roots[row] == roots[best]][:2000]
        best = min(copies, key=lambda r: (docs[r].language != params.language, len(docs[r].text)))
        doc = docs[best]
        label = labels.get(original) or label_of(
            doc.text, doc.title, [docs[r].text for r in copies[:50]]
        )
        results.append(
            ClusterResult(
                number=number,
                label=label,
                representative=best,
                rows=rows,
                ideas=len(idea_list),
                support=support_of(docs, rows),
                confirmed_key=confirmed_of.get(original),
                language=doc.language,
                dimensions=_common(tags["dimensions"], rows),
                input_types=_common(tags["input_types"], rows),
            )
        )
    # each cluster's centre: the mean of its inputs' vectors, so a campaign weighs with its support
    centres = np.zeros((len(results), clustering.features.shape[1]), dtype=np.float64)
    rows_per_idea = Counter(idea_of_root[root] for root in roots)
    for idea, count in rows_per_idea.items():
        centres[cluster_of[ideas[idea]]] += count * clustering.features[idea]
    return results, cluster_of, centres


def _themes(
    docs: list[Doc],
    clusters: list[ClusterResult],
    centres: np.ndarray,
    seed: int,
    *,
    workers: Workers | None,
) -> tuple[list[ThemeResult], list[int]]:
    """Themes over the clusters: a theme number per cluster, and each theme with its members."""
    if not clusters:
        return [], []
    theme_of = themes(centres, seed, workers)
    members: dict[int, list[int]] = {}
    for item in clusters:
        members.setdefault(int(theme_of[item.number]), []).append(item.number)
    ordered = sorted(
        members.values(), key=lambda numbers: -sum(len(clusters[n].rows) for n in numbers)
    )
    result, theme_of_cluster = [], [0] * len(clusters)
    for number, cluster_numbers in enumerate(ordered):
        for n in cluster_numbers:
            theme_of_cluster[n] = number
        # the idea closest to the theme's centre speaks for it
        block = centres[cluster_numbers]
        centre = block.sum(axis=0)
        norms = np.linalg.norm(block, axis=1)
        norms[norms == 0] = 1.0
        lead = clusters[cluster_numbers[int(((block @ centre) / norms).argmax())]]
        rows = sorted(row for n in cluster_numbers for row in clusters[n].rows)
        result.append(
            ThemeResult(
                number=number,
                label=lead.label,
                representative=lead.representative,
                rows=rows,
                clusters=cluster_numbers,
                support=support_of(docs, rows),
            )
        )
    return result, theme_of_cluster


def _position(ideas: list[int], row: int) -> int:
    return int(np.searchsorted(ideas, row))


def _common(keys: list[list[str]], rows: list[int]) -> list[str]:
    counts = Counter(key for row in rows for key in keys[row])
    if not counts:
        return []
    top = counts.most_common(1)[0][1]
    return [key for key, count in counts.most_common() if count >= 0.5 * top][:2]


def _divergences(
    docs: list[Doc],
    matrix: Any,
    vectoriser: Vectoriser,
    context: Context,
    tags: dict[str, list[list[str]]],
) -> list[DivergenceOut]:
    found = find_divergences(
        matrix, vectoriser, context.definition.divergences, tags["input_types"], tags["dimensions"]
    )
    results = []
    for theme in found:
        positions = [
            PositionOut(p.key, p.name, p.rows, support_of(docs, p.rows)) for p in theme.positions
        ]
        surfaced = sum(1 for p in positions if p.support.actors >= 2) >= 2
        results.append(DivergenceOut(theme.key, theme.name, theme.description, positions, surfaced))
    return results
