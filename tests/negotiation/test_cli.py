"""A draft imported, amended by several delegations, compiled, revised twice and compared, from
the command line (on the commands' own database: commands commit)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from docx import Document
from lxml import etree
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.core.errors import ValidationFailed
from stocktake.demo.negotiation import DEMO_SOURCE
from stocktake.negotiation.cli_common import _write
from stocktake.negotiation.exports import ExportFile
from stocktake.negotiation.models import Draft, DraftElement, NegotiationRound
from tests.negotiation.conftest import AKN, SAMPLE

runner = CliRunner()


def run(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"STOCKTAKE_DATABASE_URL": url})
    return result.exit_code, result.output


def run_in(language: str, url: str, *args: str) -> tuple[int, str]:
    """A command with the command line's language set (STOCKTAKE_LANGUAGE)."""
    environment = {"STOCKTAKE_DATABASE_URL": url, "STOCKTAKE_LANGUAGE": language}
    result = runner.invoke(app, list(args), env=environment)
    return result.exit_code, result.output


def test_import_amend_compile_revise_twice_compare_and_export(cli_db: str, tmp_path: Path) -> None:
    source = tmp_path / "compact.md"
    source.write_text(SAMPLE, encoding="utf-8")
    code, output = run(cli_db, "drafts", "import", str(source))
    assert code == 0, output
    draft = output.split()[-1]
    assert draft.isdigit()
    code, output = run(cli_db, "drafts", "show", draft)
    assert "para_5     1 " in output
    assert run(cli_db, "drafts", "issue", draft)[0] == 0
    amendments = [
        ("MEX", "replace", "para_5", "--quoted", "common", "--new-text", "shared"),
        ("PHL", "insert", "para_5", "--quoted", "orderly", "--new-text", "and regular"),
        ("EU", "move_paragraph", "para_11", "--destination", "para_5"),
        ("AFRICAN-GROUP", "alternative", "para_6", "--new-text", "The Charter guides us."),
    ]
    for sponsor, kind, target, *rest in amendments:
        code, output = run(
            cli_db,
            "drafts",
            "amend",
            draft,
            "--sponsor",
            sponsor,
            "--kind",
            kind,
            "--target",
            target,
            *rest,
        )
        assert code == 0, output
    code, output = run(cli_db, "drafts", "compile", draft, "--format", "md")
    assert "[~~common~~ **shared**]^(Mexico A1)" in output
    assert "Alt 1: [The Charter guides us.]^(African Group A4)" in output
    for number in ("A1", "A3"):
        assert run(cli_db, "drafts", "decide", draft, number, "accepted")[0] == 0
    code, output = run(cli_db, "drafts", "issue", draft)
    assert "Issued Rev.1" in output
    assert run(cli_db, "drafts", "decide", draft, "A2", "accepted")[0] == 0
    assert "Issued Rev.2" in run(cli_db, "drafts", "issue", draft)[1]
    code, output = run(cli_db, "drafts", "compare", draft, "0", "Rev.2", "--format", "md")
    assert code == 0, output
    assert "~~common~~ **shared**" in output
    assert "**and regular**" in output
    assert "moved" in output
    code, output = run(
        cli_db,
        "drafts",
        "compare",
        draft,
        "rev.1",
        "rev.2",
        "--format",
        "html",
        "--out",
        str(tmp_path / "compare.html"),
    )
    assert code == 0, output
    assert " <ins>and regular</ins> " in (tmp_path / "compare.html").read_text()
    schema = etree.XMLSchema(etree.parse(str(AKN / "akomantoso30.xsd")))
    for fmt in ("docx", "html", "md", "akn"):
        out = tmp_path / f"draft.{fmt}"
        code, output = run(cli_db, "drafts", "export", draft, "--format", fmt, "--out", str(out))
        assert code == 0, output
        content = out.read_bytes()
        if fmt == "akn":
            assert schema.validate(etree.fromstring(content)), schema.error_log
        elif fmt == "docx":
            text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
            assert "shared understanding of safe and orderly and regular migration" in text
        else:
            assert b"shared understanding" in content
    code, output = run(cli_db, "drafts", "export", draft, "--revision", "zero", "--format", "md")
    assert "common understanding" in output


def test_bad_input_is_a_clear_error_and_stores_nothing(cli_db: str, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.xml"
    hostile.write_text('<!DOCTYPE a [<!ENTITY x "y">]><akomaNtoso>&x;</akomaNtoso>')
    code, output = run(cli_db, "drafts", "import", str(hostile))
    assert code == 1
    assert "refused" in output
    code, output = run(cli_db, "drafts", "list")
    assert "hostile" not in output
    code, output = run(
        cli_db,
        "drafts",
        "amend",
        "1",
        "--sponsor",
        "MEX",
        "--kind",
        "replace",
        "--target",
        "para_6",
        "--quoted",
        "words nowhere",
        "--new-text",
        "x",
    )
    assert code == 1
    assert "are not in the paragraph" in output
    code, output = run(cli_db, "drafts", "export", "1", "--format", "pdf")
    assert code == 1
    assert "unknown format" in output
    code, output = run(cli_db, "drafts", "compare", "1", "0", "9")
    assert code == 1
    assert "revision '9' does not exist" in output


def test_the_room_s_tools_from_the_command_line(cli_db: str, tmp_path: Path) -> None:
    """Two identical amendments merged, a deadline that refuses late ones, the amendment list and
    the decisions, on the demo's draft."""
    engine = create_engine(cli_db)
    with engine.connect() as connection:
        draft, round_name = connection.execute(
            select(Draft.id, NegotiationRound.name)
            .join(NegotiationRound, NegotiationRound.draft_id == Draft.id)
            .where(Draft.source == DEMO_SOURCE)
            .order_by(NegotiationRound.start_date.desc())
        ).first()
        target = connection.scalar(
            select(DraftElement.eid)
            .where(DraftElement.draft_id == draft, DraftElement.kind == "paragraph")
            .order_by(DraftElement.position)
        )
    engine.dispose()
    draft_id = str(draft)
    numbers = []
    for sponsor in ("MEX", "PHL"):
        code, output = run(
            cli_db,
            "drafts",
            "amend",
            draft_id,
            "--sponsor",
            sponsor,
            "--kind",
            "alternative",
            "--target",
            target,
            "--new-text",
            "Words both delegations table.",
        )
        assert code == 0, output
        numbers.append(output.split()[-1])
    # the sponsors by name, in the command line's language
    code, output = run_in("fr", cli_db, "drafts", "merge", draft_id, *numbers)
    assert code == 0, output
    assert f"Fusionnés dans {numbers[0]} ; auteur(s) : Mexique, Philippines" in output
    assert "MEX" not in output
    code, output = run(cli_db, "drafts", "merge", draft_id, "A1", numbers[0])
    assert code == 1
    assert "A1 is accepted; only pending amendments are merged" in output
    code, output = run(cli_db, "drafts", "merge", draft_id, numbers[0], "B2")
    assert code == 1
    assert "'B2' is not like A3" in output
    code, output = run(
        cli_db,
        "drafts",
        "deadline",
        draft_id,
        round_name,
        "--at",
        "2018-05-01T18:00",
        "--refuse-late",
    )
    assert code == 0, output
    assert "tabled by 1 May 2018, 18:00 UTC; later ones refused" in output
    code, output = run(cli_db, "drafts", "deadline", draft_id, "No such round")
    assert code == 1
    assert "no round 'No such round'" in output
    # the secretariat reads a late one into the record: marked late
    code, output = run(
        cli_db,
        "drafts",
        "amend",
        draft_id,
        "--sponsor",
        "CAN",
        "--kind",
        "delete_paragraph",
        "--target",
        target,
    )
    assert code == 0, output
    assert "(late: after the round's deadline for tabling)" in output
    code, output = run(cli_db, "drafts", "amendment-list", draft_id)
    assert code == 0, output
    assert f"{numbers[0]}  Replace the paragraph with: “Words both delegations table.”" in output
    assert "(Mexico, Philippines)" in output
    assert "Delete the paragraph (Canada; late)" in output
    code, output = run(cli_db, "drafts", "decisions", draft_id)
    assert code == 0, output
    assert f"{numbers[1]}  " in output
    assert f"merged into {numbers[0]}" in output
    assert "  rejected  " in output
    # in the command line's language, each State by its name there
    code, output = run_in("fr", cli_db, "drafts", "amendment-list", draft_id)
    assert code == 0, output
    assert (
        f"{numbers[0]}  Remplacer le paragraphe par\u202f: «\u202fWords both delegations table.\u202f» "
        "(Mexique, Philippines)"
    ) in output
    assert "Supprimer le paragraphe (Canada\u202f; en retard)" in output
    assert "Mexico" not in output
    code, output = run_in("fr", cli_db, "drafts", "decisions", draft_id)
    assert code == 0, output
    assert "Décisions : Tous les cycles" in output
    assert f"{numbers[1]}  " in output
    assert f"  Philippines  fusionné dans {numbers[0]}  " in output
    assert "  Mexique  accepté  " in output
    assert "  rejeté  " in output
    assert "Mexico" not in output
    assert "rejected" not in output
    for command in ("amendment-list", "decisions"):
        out = tmp_path / f"{command}.docx"
        code, output = run(cli_db, "drafts", command, draft_id, "--out", str(out))
        assert code == 0, output
        assert Document(io.BytesIO(out.read_bytes())).tables


class _Screen:
    """Standard output as a terminal, or as a pipe, with the bytes written to it."""

    def __init__(self, terminal: bool) -> None:
        self.terminal, self.buffer = terminal, io.BytesIO()

    def isatty(self) -> bool:
        return self.terminal


@pytest.mark.parametrize("terminal", [True, False])
def test_a_word_document_goes_to_a_file_or_a_pipe_never_to_the_terminal(
    monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    """`drafts compile 1 --format docx` without --out on a terminal printed the zip archive's bytes;
    it is refused there, naming --out, and still written to a pipe (`… > file.docx`)."""
    screen = _Screen(terminal)
    monkeypatch.setattr(sys, "stdout", screen)
    document = ExportFile(b"PK\x03\x04 a Word document", "compilation.docx", "application/docx")
    if terminal:
        with pytest.raises(ValidationFailed, match="not written to the terminal: name a file"):
            _write(document, None)
        assert screen.buffer.getvalue() == b""
    else:
        _write(document, None)
        assert screen.buffer.getvalue() == document.content
    text = ExportFile(b"# Compilation", "compilation.md", "text/markdown")
    _write(text, None)  # text may always go to the screen
    assert screen.buffer.getvalue().endswith(b"# Compilation")
