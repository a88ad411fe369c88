"""Language versions on the command line: the demo's Rev.1 in French and Spanish, adding one,
exporting and comparing per language, and the refusals that name what and where."""

from __future__ import annotations

from pathlib import Path

from stocktake.demo.negotiation import DATA
from tests.negotiation.test_cli import run


def test_language_versions_through_the_command_line(cli_db: str, tmp_path: Path) -> None:
    code, output = run(
        cli_db, "drafts", "export", "1", "--revision", "rev.1", "--language", "fr", "--format", "md"
    )
    assert code == 0, output
    assert output.startswith(
        "# Pacte mondial pour des migrations sûres, ordonnées et régulières (Rev.1)\n"
    )
    assert "tous les travailleurs migrants, y compris les travailleurs domestiques" in output
    code, output = run(
        cli_db, "drafts", "export", "1", "--revision", "1", "--language", "es", "--format", "akn"
    )
    assert code == 0, output
    assert 'language="spa"' in output
    assert 'xml:lang="es"' in output
    french = DATA / "gcm-rev1-fr.md"
    code, output = run(cli_db, "drafts", "language", "1", "fr", str(french), "--revision", "rev.1")
    assert code == 1
    assert "exists already (edition 1" in output
    code, output = run(
        cli_db, "drafts", "language", "1", "fr", str(french), "--revision", "rev.1", "--replace"
    )
    assert code == 0, output
    assert "Added the fr version of Rev.1 of draft 1: edition 2, 30 elements aligned" in output
    shorter = tmp_path / "rev1-ru.md"
    text = french.read_text(encoding="utf-8").split("## Suivi et examen")[0]
    shorter.write_text(text + "[^1]: Résolution 71/1 de l'Assemblée générale.\n", encoding="utf-8")
    code, output = run(cli_db, "drafts", "language", "1", "ru", str(shorter), "--revision", "1")
    assert code == 1
    assert "Russian version of Rev.1: refused, nothing stored" in output
    assert "element 29: the version ends before heading III (sec_" in output
    assert "(28 elements for 30)" in output
    code, output = run(cli_db, "drafts", "language", "1", "de", str(french), "--revision", "1")
    assert code == 1
    assert "does not offer 'de'" in output
    code, output = run(cli_db, "drafts", "language", "1", "ru", str(french), "--revision", "9")
    assert code == 1
    assert "revision '9' does not exist" in output
    code, output = run(cli_db, "drafts", "compare", "1", "0", "1", "--language", "fr")
    assert code == 1
    assert "Zero draft has no French version; it is in English" in output
    code, output = run(cli_db, "drafts", "export", "1", "--revision", "1", "--language", "ru")
    assert code == 1
    assert "Rev.1 has no Russian version; it is in English, Spanish, French" in output
