"""The demo ships a small real Open SDG sample, so that a fresh installation shows indicators."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from stocktake.demo.review import OPENSDG_SAMPLE
from tests.databases import OPENSDG_UK


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "README.md"
    }


def test_the_sample_is_the_national_data_unchanged_with_its_licence() -> None:
    assert _files(OPENSDG_SAMPLE) == _files(OPENSDG_UK)
    readme = (OPENSDG_SAMPLE / "README.md").read_text()
    assert "Open Government Licence v3.0" in readme
    assert "Office for National Statistics" in readme


def test_the_demo_loaded_without_a_folder_shows_the_sample_indicators(client: TestClient) -> None:
    page = client.get("/review/indicators")
    assert page.status_code == 200
    for code in ("10.7.3", "10.c.1", "8.8.1"):
        assert code in page.text
