"""The Chair's summary on the command line: draft one from an analysis run, in one language."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from stocktake.core.commands import _, open_session, reports_errors, settings
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.summary.services import generate_summary_of_run

out = Console(soft_wrap=True)
SYSTEM = Principal.system()
summaries = typer.Typer(help="The Chair's summary", no_args_is_help=True)


@summaries.command("draft")
@reports_errors
def draft(
    language: str = typer.Option(
        "en", help="The summary's language: one of the six UN languages (en, fr, es, ar, ru, zh)"
    ),
    run: int | None = typer.Option(None, help="The analysis run (default: the latest completed)"),
    out_file: Path | None = typer.Option(None, "--out", help="Also write its Markdown here"),
) -> None:
    """Draft the Chair's summary from an analysis run; from a newer run than an existing summary's
    (same language), a new version of it that keeps the sections the secretariat edited."""
    with open_session() as session:
        process = get_process(session, settings().process)
        summary = generate_summary_of_run(session, process, run, language=language, by=SYSTEM)
        version = summary.current
        if out_file is not None:
            out_file.write_text(version.markdown, encoding="utf-8")
        out.print(
            _(
                "Summary %(summary)s (%(language)s), version %(version)s, "
                "from analysis run %(run)s",
                summary=summary.id,
                language=summary.language,
                version=version.number,
                run=summary.run_id,
            )
        )
