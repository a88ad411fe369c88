"""Drafting the Chair's summary from the command line, in one of the six languages."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from stocktake.cli import app

runner = CliRunner()


def test_the_secretariat_drafts_a_summary_in_french_and_a_seventh_language_is_refused(
    cli_db: str, tmp_path: Path
) -> None:
    env = {"STOCKTAKE_DATABASE_URL": cli_db}
    target = tmp_path / "resume.md"
    result = runner.invoke(
        app, ["summary", "draft", "--language", "fr", "--out", str(target)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "(fr), version 1" in result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Résumé du Président")
    assert "### Quelle solidité pour le suivi et l'examen" in text
    origin = next(line for line in text.splitlines() if "Projet établi" in line)
    assert re.search(r"de l.analyse \d+ du \d{1,2} \w+ \d{4} ;", origin), (
        origin
    )  # "7 décembre 2026"
    refused = runner.invoke(app, ["summary", "draft", "--language", "de"], env=env)
    assert refused.exit_code == 1
    assert "does not offer 'de'; choose one of en, fr, es, ar, ru, zh" in refused.output
