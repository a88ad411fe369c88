"""`stocktake analyse` on a file (no database) and on the stored inputs, and its output files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from stocktake.cli import app
from tests.conftest import SDG_FRAMEWORK

runner = CliRunner()
ROWS = """external_id,submitter,text,dimensions,input_types,references
C-1,KEN,We ask all States to end the immigration detention of children and to use alternatives.,,,
C-2,CSO-X,We ask all States to end the immigration detention of children and to use alternatives. Thanks.,,,
C-3,Mexico,Reduce the transaction costs of migrant remittances to less than 3 per cent.,global,,SDG 10.c.1
C-4,IOM,Follow up the compact with clear goals targets and indicators reviewed every four years.,,follow_up_review,
C-5,BRA,Keep follow-up light: map progress and share best practices rather than new targets.,,follow_up_review,
C-6,CSO-Y,将移民汇款的交易成本降至百分之三以下。,,,
"""


def run(*args: str, env: dict[str, str]) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_a_file_is_analysed_without_a_database(tmp_path: Path) -> None:
    source = tmp_path / "inputs.csv"
    source.write_text(ROWS, encoding="utf-8")
    out = tmp_path / "out"
    env = {"STOCKTAKE_DATA_DIR": str(tmp_path / "data"), "STOCKTAKE_DATABASE_URL": ""}
    code, output = run(
        "analyse",
        "--input",
        str(source),
        "--out",
        str(out),
        "--frameworks",
        str(SDG_FRAMEWORK),
        env=env,
    )
    assert code == 0, output
    assert "the database was not touched" in output
    assert not (tmp_path / "data").exists()
    assert sorted(p.name for p in out.iterdir()) == [
        "clusters.json",
        "divergences.json",
        "duplicates.json",
        "summary.md",
        "tags.csv",
    ]
    duplicates = json.loads((out / "duplicates.json").read_text(encoding="utf-8"))
    assert duplicates["groups"] == [
        {"representative": "C-1", "size": 2, "members": ["C-1", "C-2"], "submitters": 2}
    ]
    with (out / "tags.csv").open(encoding="utf-8") as handle:
        tags = {row["input"]: row for row in csv.DictReader(handle)}
    assert list(tags) == ["C-1", "C-2", "C-3", "C-4", "C-5", "C-6"]
    assert tags["C-3"]["dimensions"] == "global"
    assert tags["C-3"]["sdg_goals"].split(";")[0] == "10"
    assert "10.c" in tags["C-6"]["sdg_targets"].split(";")
    assert 0 <= float(tags["C-1"]["confidence"]) <= 1
    clusters = json.loads((out / "clusters.json").read_text(encoding="utf-8"))["clusters"]
    members = sorted(m for c in clusters for m in c["members"])
    assert members == ["C-1", "C-2", "C-3", "C-4", "C-5", "C-6"]
    detention = next(c for c in clusters if "C-1" in c["members"])
    assert detention["support"]["actors"] == 2
    assert detention["support"]["by_kind"] == {"member_state": 1, "stakeholder": 1}
    divergences = json.loads((out / "divergences.json").read_text(encoding="utf-8"))["divergences"]
    positions = {p["key"]: p["inputs"] for p in divergences[0]["positions"]}
    assert positions == {"robust": ["C-4"], "light": ["C-5"]}
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# Chair's summary")
    assert "C-1" in summary
    assert "## Annex: inputs not represented above" in summary


def test_a_bad_file_leaves_no_half_written_results(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "submitter,text,dimensions\nKEN,Fine,\nKEN,,\nKEN,Text,moon\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    code, output = run(
        "analyse",
        "--input",
        str(source),
        "--out",
        str(out),
        env={"STOCKTAKE_DATA_DIR": str(tmp_path)},
    )
    assert code == 1
    assert "row 3, field text: is empty" in output
    assert "row 4, field dimensions: unknown dimension 'moon'" in output
    assert not out.exists()
    code, output = run("analyse", "--input", str(source), env={})
    assert code == 1
    assert "--out: is needed with --input" in output


def test_the_stored_inputs_are_analysed_and_written(tmp_path: Path, cli_db: str) -> None:
    out = tmp_path / "stored"
    code, output = run("analyse", "--out", str(out), env={"STOCKTAKE_DATABASE_URL": cli_db})
    assert code == 0, output
    assert "Stored as analysis run" in output
    tags = (out / "tags.csv").read_text(encoding="utf-8").splitlines()
    assert tags[1].startswith("DEMO-")
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "136 delegations, 897 participants and 115 non-governmental stakeholders" in summary
