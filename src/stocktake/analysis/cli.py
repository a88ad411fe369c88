from __future__ import annotations

from pathlib import Path

import typer

from stocktake.core.commands import _, reports_errors, settings
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.frameworks.sdg import read_sdg_folder
from stocktake.process.definition import (
    default_definition_path,
    load_definition_file,
)


@reports_errors
def evaluate(
    evaluation_set: Path | None = typer.Option(
        None, "--set", help="The labelled evaluation set (CSV), for the default process"
    ),
    frameworks: Path | None = typer.Option(
        None, "--frameworks", help="Open SDG translations folder, to score SDG goal links"
    ),
    passages: Path | None = typer.Option(
        None,
        "--passages",
        help="Real passages labelled by subject (evaluation/sdg-targets.csv, or "
        "sdg-targets-translated.csv in five languages), to score themes and SDG links on their "
        "test part",
    ),
    confirmed: float = typer.Option(
        0.0, min=0.0, max=0.9, help="Share of inputs whose true tags count as confirmed (0 to 0.9)"
    ),
) -> None:
    """Score the analysis on a labelled set: duplicates, tags, SDG goals, clusters; with
    --frameworks, also on the SDG indicators in six languages (ideas, themes, SDG links); with
    --passages, also on real passages (themes, and SDG links with --frameworks)."""
    import json

    from stocktake.analysis.evaluation import evaluate as run_evaluation

    if evaluation_set is None and passages is None:
        raise ValidationFailed("evaluate", [Problem("--set", _("give --set, --passages or both"))])
    definition = load_definition_file(default_definition_path())
    framework = read_sdg_folder(frameworks) if frameworks else None
    vectors = settings().analysis_vectors
    report: dict[str, object] = {}
    if evaluation_set is not None:
        report = run_evaluation(
            evaluation_set, definition, framework, confirmed_share=confirmed, vectors=vectors
        )
        if framework is not None and not confirmed:
            from stocktake.analysis.evaluation import evaluate_sdg

            report["sdg_set"] = evaluate_sdg(framework, definition, vectors=vectors)
    if passages is not None and not confirmed:
        from stocktake.analysis.passages import evaluate_passages

        report["passages_set"] = evaluate_passages(passages, definition, framework, vectors=vectors)
    report["vectors"] = vectors
    typer.echo(json.dumps(report, indent=1))
