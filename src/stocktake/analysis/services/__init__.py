"""The analysis's actions and queries, by concern: `runs` (load the inputs, start, execute and store
a run), `results` (what a stored run found, the review queue) and `edits` (the secretariat's cluster
edits). Everything other modules use is importable from here."""

from stocktake.analysis.services.edits import merge_clusters, rename_cluster, split_cluster
from stocktake.analysis.services.results import (
    QueueItem,
    cluster_inputs,
    clusters_of,
    divergences_of,
    get_cluster,
    review_queue,
)
from stocktake.analysis.services.runs import (
    ANALYSED_STATUSES,
    ANALYSIS_JOB,
    STALE_AFTER,
    context_for,
    current_run,
    execute_run,
    get_run,
    latest_run,
    list_runs,
    load_docs,
    run_analysis,
    start_run,
)

__all__ = [
    "ANALYSED_STATUSES",
    "ANALYSIS_JOB",
    "STALE_AFTER",
    "QueueItem",
    "cluster_inputs",
    "clusters_of",
    "context_for",
    "current_run",
    "divergences_of",
    "execute_run",
    "get_cluster",
    "get_run",
    "latest_run",
    "list_runs",
    "load_docs",
    "merge_clusters",
    "rename_cluster",
    "review_queue",
    "run_analysis",
    "split_cluster",
    "start_run",
]
