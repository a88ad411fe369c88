from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.analysis.models import AnalysisCluster, AnalysisResult, AnalysisRun, AnalysisTheme
from stocktake.analysis.services import (
    cluster_inputs,
    clusters_of,
    execute_run,
    get_cluster,
    latest_run,
    merge_clusters,
    rename_cluster,
    review_queue,
    run_analysis,
    split_cluster,
    start_run,
)
from stocktake.analysis.services import runs as analysis_runs
from stocktake.consultation.models import Input
from stocktake.consultation.services import retag_input
from stocktake.core.errors import Conflict, PermissionDenied, ValidationFailed
from stocktake.core.jobs import Job
from stocktake.core.permissions import Principal, Role
from stocktake.process.definition import default_definition_path, parse_definition
from stocktake.process.services import get_process, load_process

SYSTEM = Principal.system()


def test_the_demo_run_is_stored_whole(session: Session) -> None:
    process = get_process(session)
    run = latest_run(session, process)
    assert run is not None
    assert run.status == "completed"
    analysed = session.scalar(
        select(func.count(Input.id)).where(Input.status.in_(("submitted", "published")))
    )
    assert (
        session.scalar(select(func.count(AnalysisResult.id)).where(AnalysisResult.run_id == run.id))
        == analysed
    )
    assert run.stats["inputs"] == analysed
    assert run.stats["clusters"] == len(clusters_of(session, run))
    assert run.stats["duplicate_groups"] > 0
    assert set(run.stats["seconds"]) == {
        "vectors",
        "duplicates",
        "meaning",
        "tags",
        "links",
        "clusters",
        "divergences",
    }


def test_themes_hold_every_cluster_and_a_rerun_embeds_only_new_texts(session: Session) -> None:
    process = get_process(session)
    run = latest_run(session, process)
    assert run is not None
    assert run.stats["vectors"] == "multilingual"
    themes = session.scalars(select(AnalysisTheme).where(AnalysisTheme.run_id == run.id)).all()
    clusters = clusters_of(session, run)
    assert 8 <= len(themes) <= 40
    assert run.stats["themes"] == len(themes)
    assert sorted(n for theme in themes for n in theme.clusters) == [c.number for c in clusters]
    assert sum(theme.size for theme in themes) == run.stats["inputs"]
    for cluster in clusters:
        assert cluster.number in themes[cluster.theme_number].clusters
    again, _ = run_analysis(session, process, by=SYSTEM)
    assert again.stats["texts_embedded"] == 0
    assert again.stats["vectors_reused"] == run.stats["texts_embedded"] > 0
    assert session.scalar(
        select(func.count(AnalysisCluster.id)).where(AnalysisCluster.run_id == again.id)
    ) == len(clusters)


def test_a_failing_run_stores_nothing_and_the_next_run_works(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    process = get_process(session)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(analysis_runs, "run_pipeline", broken)
    with pytest.raises(RuntimeError):
        run_analysis(session, process, by=SYSTEM)
    failed = session.scalar(select(AnalysisRun).order_by(AnalysisRun.id.desc()))
    assert failed is not None
    assert (failed.status, failed.error) == ("failed", "disk full")
    assert (
        session.scalar(
            select(func.count(AnalysisResult.id)).where(AnalysisResult.run_id == failed.id)
        )
        == 0
    )
    monkeypatch.undo()
    run, _ = run_analysis(session, process, by=SYSTEM)
    assert run.status == "completed"


def test_a_run_in_progress_blocks_another_until_it_stops_answering(session: Session) -> None:
    process = get_process(session)
    first = start_run(session, process, by=SYSTEM)
    with pytest.raises(Conflict, match=f"analysis run {first.id} is still running"):
        start_run(session, process, by=SYSTEM)
    # a worker taking it over keeps it running; its job ended without it, it is interrupted
    job = session.get(Job, first.job_id)
    assert job is not None
    job.state = "done"
    session.flush()
    second = start_run(session, process, by=SYSTEM)
    session.refresh(first)
    assert first.status == "failed"
    assert first.error.startswith("interrupted")
    assert second.status == "running"
    with pytest.raises(PermissionDenied):
        start_run(session, process, by=Principal(role=Role.DELEGATION_MEMBER, user_id=1))


def test_a_run_whose_job_ended_without_it_is_recognised_at_once(session: Session) -> None:
    process = get_process(session)
    first = start_run(session, process, by=SYSTEM)
    job = session.get(Job, first.job_id)
    assert job is not None
    assert (job.kind, job.state, job.arguments) == ("analysis_run", "queued", {"run_id": first.id})
    job.state = "failed"
    session.flush()
    second = start_run(session, process, by=SYSTEM)  # at once: no 15 minutes to wait
    session.refresh(first)
    assert first.status == "failed"
    assert "interrupted" in first.error
    assert second.status == "running"


def test_only_someone_who_may_run_the_analysis_executes_a_run_and_only_once(
    session: Session,
) -> None:
    process = get_process(session)
    run = start_run(session, process, by=SYSTEM)
    with pytest.raises(PermissionDenied):
        execute_run(session, run, by=Principal(role=Role.DELEGATION_MEMBER, user_id=1))
    assert run.status == "running"
    latest = latest_run(session, process)
    assert latest is not None
    with pytest.raises(Conflict, match=f"analysis run {latest.id} has already ended"):
        execute_run(session, latest, by=SYSTEM)


def test_an_empty_process_gives_a_clear_message(session: Session) -> None:
    text = (
        default_definition_path()
        .read_text(encoding="utf-8")
        .replace('slug = "gcm"', 'slug = "empty"')
    )
    empty = load_process(session, parse_definition(text), by=SYSTEM)
    with pytest.raises(ValidationFailed, match="there are no inputs to analyse"):
        run_analysis(session, empty, by=SYSTEM)
    run = session.scalar(select(AnalysisRun).where(AnalysisRun.process_id == empty.id))
    assert run is not None
    assert (run.status, run.error) == ("failed", "there are no inputs to analyse")


def test_confirmed_tags_leave_the_queue_and_are_kept_by_the_next_run(session: Session) -> None:
    process = get_process(session)
    run = latest_run(session, process)
    assert run is not None
    items, total = review_queue(session, run, limit=5)
    assert total > 0
    confidences = [item.result.confidence for item in items]
    assert confidences == sorted(confidences)
    first = items[0].input
    retag_input(session, first, dimensions=["regional"], input_types=["partnership"], by=SYSTEM)
    assert first.id not in {i.input.id for i in review_queue(session, run, limit=1000)[0]}
    new_run, _ = run_analysis(session, process, by=SYSTEM)
    stored = session.scalar(
        select(AnalysisResult).where(
            AnalysisResult.run_id == new_run.id, AnalysisResult.input_id == first.id
        )
    )
    assert stored is not None
    assert (stored.dimensions, stored.input_types, stored.tag_source) == (
        ["regional"],
        ["partnership"],
        "secretariat",
    )


def test_cluster_edits_survive_a_new_run(session: Session) -> None:
    process = get_process(session)
    run = latest_run(session, process)
    assert run is not None
    clusters = clusters_of(session, run)
    renamed = rename_cluster(
        session, run, clusters[0].number, "No child in immigration detention", by=SYSTEM
    )
    merged = merge_clusters(
        session, run, [clusters[1].number, clusters[2].number], "Rights and inclusion", by=SYSTEM
    )
    merged_inputs = {i.id for i, _ in cluster_inputs(session, run, merged.number)}
    donor = clusters[3]
    members = [i.id for i, _ in cluster_inputs(session, run, donor.number)]
    moved = members[:2]
    split = split_cluster(session, run, donor.number, moved, "Split-off idea", by=SYSTEM)
    assert {i.id for i, _ in cluster_inputs(session, run, split.number)} == set(moved)
    assert get_cluster(session, run, donor.number).size == len(members) - 2
    with pytest.raises(ValidationFailed, match="some, but not all"):
        split_cluster(session, run, donor.number, [], "Nothing", by=SYSTEM)
    with pytest.raises(PermissionDenied):
        rename_cluster(
            session, run, renamed.number, "x", by=Principal(role=Role.STAKEHOLDER, user_id=1)
        )

    new_run, _ = run_analysis(session, process, by=SYSTEM)
    by_label = {c.label: c for c in clusters_of(session, new_run)}
    assert "No child in immigration detention" in by_label
    again = by_label["Rights and inclusion"]
    assert merged_inputs <= {i.id for i, _ in cluster_inputs(session, new_run, again.number)}
    assert {
        i.id for i, _ in cluster_inputs(session, new_run, by_label["Split-off idea"].number)
    } == set(moved)
    assert again.confirmed_id is not None
