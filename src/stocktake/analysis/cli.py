from __future__ import annotations

from pathlib import Path

import typer

from stocktake.core.commands import reports_errors, settings
from stocktake.frameworks.sdg import read_sdg_folder
from stocktake.process.definition import (
    default_definition_path,
    load_definition_file,
)


@reports_errors
def evaluate(
    evaluation_set: Path = typer.Option(
        ..., "--set", help="The labelled evaluation set (CSV), for the default process"
    ),
    frameworks: Path | None = typer.Option(
        None, "--frameworks", help="Open SDG translations folder, to score SDG goal links"
    ),
    confirmed: float = typer.Option(
        0.0, min=0.0, max=0.9, help="Share of inputs whose true tags count as confirmed (0 to 0.9)"
    ),
) -> None:
    """Score the analysis on a labelled set: duplicates, tags, SDG goals, clusters; with
    --frameworks, also on the SDG indicators in six languages (ideas, themes, SDG links)."""
    import json

    from stocktake.analysis.evaluation import evaluate as run_evaluation

    definition = load_definition_file(default_definition_path())
    framework = read_sdg_folder(frameworks) if frameworks else None
    report = run_evaluation(
        evaluation_set,
        definition,
        framework,
        confirmed_share=confirmed,
        vectors=settings().analysis_vectors,
    )
    if framework is not None and not confirmed:
        from stocktake.analysis.evaluation import evaluate_sdg

        report["sdg_set"] = evaluate_sdg(framework, definition, vectors=settings().analysis_vectors)
    report["vectors"] = settings().analysis_vectors
    typer.echo(json.dumps(report, indent=1))
