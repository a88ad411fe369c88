"""The demo ships a small real Open SDG sample, so that a fresh installation shows indicators."""

from __future__ import annotations

import re
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


def test_the_review_page_counts_what_its_tags_show(client: TestClient) -> None:
    page = client.get("/review").text
    status_table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", status_table)
    assert rows, status_table
    assert all(int(count) > 0 for _, count in rows)
    objectives = page.split('id="h-objectives"', 1)[1]
    no_data = set(re.findall(r'<span class="tag">([^<:]+): No data</span>', objectives))
    assert dict(rows).get("No data", "0") == str(len(no_data))


def test_the_review_page_says_when_no_indicator_data_is_imported(bare_client: TestClient) -> None:
    page = bare_client.get("/review")
    assert page.status_code == 200
    assert "No indicator data has been imported yet" in page.text
    assert "Not available</td><td>0" not in page.text
