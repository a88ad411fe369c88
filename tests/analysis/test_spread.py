"""The analysis's heavy stages on a Dask cluster (a local one of two worker processes, started here)
give exactly the results of the single-machine path, however the inputs are partitioned."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from stocktake.analysis import spread, vectors
from stocktake.analysis.models import AnalysisRun
from stocktake.analysis.pipeline import ActorInfo, Context, Doc, run_pipeline
from stocktake.analysis.services import run_analysis
from stocktake.cli import app
from stocktake.config import get_settings
from stocktake.core.errors import ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.demo.inputs import CAMPAIGN, PROPOSALS, TRANSLATIONS
from stocktake.frameworks.sdg import read_sdg_folder
from stocktake.process.definition import default_definition_path, load_definition_file
from stocktake.process.services import get_process
from tests.analysis.test_files import ROWS
from tests.conftest import SDG_FRAMEWORK


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


def sample(count: int = 900) -> list[Doc]:
    """Proposals in several languages, campaign copies with framing added, and near copies."""
    rng = random.Random(7)  # noqa: S311  (sample data, not secrets)
    actors = [
        ActorInfo(f"A{i}", f"Actor {i}", rng.choice(["member_state", "stakeholder"]), "Africa")
        for i in range(60)
    ]
    translations = [
        (language, text) for language, texts in TRANSLATIONS.items() for _, text in texts
    ]
    docs = []
    for key in range(count):
        roll = rng.random()
        language = "en"
        if roll < 0.2:
            text = CAMPAIGN + rng.choice(["", " Thank you.", " Please act now."])
        elif roll < 0.35:
            language, text = rng.choice(translations)
        elif roll < 0.7:
            first, second = rng.choice(PROPOSALS)[3].split(), rng.choice(PROPOSALS)[3].split()
            text = " ".join(first[: len(first) // 2] + second[len(second) // 2 :])
        else:
            words = rng.choice(PROPOSALS)[3].split()
            words.insert(rng.randrange(1, len(words)), rng.choice(["urgently", "fully", "also"]))
            text = " ".join(words) + f" ({key})"
        docs.append(Doc(key=key, actor=rng.choice(actors), text=text, language=language))
    return docs


def test_the_dask_path_gives_the_same_groups_and_ideas(
    scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # small chunks and micro-batches, so that the sample is spread over many tasks of both workers
    monkeypatch.setattr(vectors, "MICRO_BATCH", 64)
    docs = sample()
    context = Context(
        definition=load_definition_file(default_definition_path()),
        framework=read_sdg_folder(SDG_FRAMEWORK),
    )
    alone = run_pipeline(docs, context)
    with spread.connect(scheduler, chunk=97) as workers:
        spread_out = run_pipeline(docs, context, workers=workers)
        # each worker loaded the meaning model from its own installed package
        loaded = workers.client.run(lambda: vectors.MultilingualEmbedder._model is not None)
    assert list(loaded.values()) == [True, True]
    assert len(alone.duplicate_groups()) > 5
    assert len(set(alone.duplicate_root)) > 3 * 64
    assert spread_out.duplicate_root == alone.duplicate_root
    assert spread_out.duplicate_groups() == alone.duplicate_groups()
    assert alone.meaning is not None
    assert spread_out.meaning is not None
    assert np.array_equal(spread_out.meaning.features, alone.meaning.features)
    assert spread_out.cluster_of == alone.cluster_of
    assert [(c.label, c.representative, c.rows) for c in spread_out.clusters] == [
        (c.label, c.representative, c.rows) for c in alone.clusters
    ]
    assert spread_out.theme_of_cluster == alone.theme_of_cluster
    assert spread_out.tags == alone.tags
    assert spread_out.goals == alone.goals


def test_the_command_takes_a_scheduler(scheduler: str, tmp_path: Path) -> None:
    source = tmp_path / "inputs.csv"
    source.write_text(ROWS, encoding="utf-8")
    written = {}
    for name, extra in (("alone", []), ("spread", ["--scheduler", scheduler])):
        result = CliRunner().invoke(
            app,
            ["analyse", "--input", str(source), "--out", str(tmp_path / name), *extra],
            env={"STOCKTAKE_DATA_DIR": str(tmp_path / "data"), "STOCKTAKE_DATABASE_URL": ""},
        )
        assert result.exit_code == 0, result.output
        written[name] = {
            file: json.loads((tmp_path / name / file).read_text(encoding="utf-8"))
            for file in ("duplicates.json", "clusters.json")
        }
    assert written["spread"] == written["alone"]
    assert written["alone"]["duplicates.json"]["groups"][0]["members"] == ["C-1", "C-2"]


def test_a_scheduler_out_of_reach_fails_the_run_with_the_reason(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spread, "CONNECT_SECONDS", 1.0)
    process = get_process(session)
    with pytest.raises(ValidationFailed) as caught:
        run_analysis(session, process, by=Principal.system(), scheduler="tcp://127.0.0.1:9")
    assert "cannot reach the Dask scheduler" in str(caught.value)
    run = session.query(AnalysisRun).order_by(AnalysisRun.id.desc()).first()
    assert run is not None
    assert run.status == "failed"
    assert run.error is not None
    assert run.error.startswith("tcp://127.0.0.1:9: cannot reach the Dask scheduler")


def test_a_cluster_with_other_versions_is_refused(
    scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # here, one more package decides the results; the workers do not report it
    monkeypatch.setattr(spread, "PACKAGES", (*spread.PACKAGES, "pytest"))
    with pytest.raises(ValidationFailed) as caught, spread.connect(scheduler):
        pytest.fail("connected to workers that run other versions")
    assert "runs pytest None (here " in str(caught.value)


def test_an_empty_setting_means_no_scheduler() -> None:
    assert get_settings(analysis_scheduler=" ").analysis_scheduler is None
    assert get_settings(analysis_scheduler="tcp://10.0.0.10:8786").analysis_scheduler == (
        "tcp://10.0.0.10:8786"
    )
