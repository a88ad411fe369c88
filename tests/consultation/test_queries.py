from __future__ import annotations

from stocktake.consultation.services.queries import InputFilter


def test_one_filter_reading_for_pages_api_and_commands() -> None:
    parsed = InputFilter.parse({"dimension": " human ", "q": "x" * 300, "status": "", "page": "2"})
    assert parsed == InputFilter(dimension="human", q="x" * 200)
