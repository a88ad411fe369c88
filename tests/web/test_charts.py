"""Bar charts stay readable on a phone: labels whole on their own line, text never tiny."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from stocktake.web.charts import LABEL_CHARS, WIDTH, Bar, bar_chart

PHONE_CONTENT_PX = 358  # a 390 px screen less the page's padding
CSS_MAX_PX = 28 * 16  # svg.chart { max-width: 28rem }
FONT_UNITS = 14  # .chart-label, .chart-value { font-size: 14px } in the chart's own units


def test_a_regional_group_s_name_is_shown_whole_and_from_its_first_letter() -> None:
    svg = str(bar_chart("Participants", [Bar("Latin American and Caribbean States", 15)]))
    assert ">Latin American and Caribbean States</text>" in svg
    label = re.search(r'<text x="(\d+)"[^>]*class="chart-label"', svg)
    assert label is not None
    assert label.group(1) == "0"
    assert 'text-anchor="end"' not in svg


def test_chart_text_is_at_least_12_px_on_a_phone() -> None:
    shown = min(PHONE_CONTENT_PX, CSS_MAX_PX)
    assert FONT_UNITS * shown / WIDTH >= 12


@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=120), st.integers(0, 10**9)),
        min_size=1,
        max_size=30,
    )
)
def test_every_bar_and_label_stays_inside_the_chart(rows: list[tuple[str, int]]) -> None:
    svg = str(bar_chart("t", [Bar(label, value) for label, value in rows]))
    width, height = (int(v) for v in re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())  # type: ignore[union-attr]
    for x, w in re.findall(r'<rect x="(\d+)" y="\d+" width="(\d+)"', svg):
        assert int(x) + int(w) <= width - 60
    assert len(re.findall(r"<rect ", svg)) == len(rows)
    assert height == 42 * len(rows)
    for shown in re.findall(r'class="chart-label">(?:<title>.*?</title>)?([^<]*)</text>', svg):
        assert len(shown) <= LABEL_CHARS * 6  # escaped characters count up to 6 each


def test_a_chart_says_its_direction_so_a_right_to_left_page_never_hides_its_labels() -> None:
    # left to right, said on the chart itself: an Arabic page's direction would otherwise anchor
    # each label's end at the left edge, out of sight
    ltr = str(bar_chart("t", [Bar("Objective 6", 3)]))
    assert 'direction="ltr"' in ltr
    svg = str(bar_chart("t", [Bar("الهدف 6", 3), Bar("الهدف 20", 1)], direction="rtl"))
    assert 'direction="rtl"' in svg
    assert 'preserveAspectRatio="xMaxYMin meet"' in svg
    # labels start at the right edge; bars grow leftwards from it, each value beyond its bar
    assert re.findall(r'<text x="(\d+)"[^>]*class="chart-label"', svg) == [str(WIDTH)] * 2
    bars = [(int(x), int(w)) for x, w in re.findall(r'<rect x="(\d+)" y="\d+" width="(\d+)"', svg)]
    assert [x + w for x, w in bars] == [WIDTH, WIDTH]
    assert bars[0][1] > bars[1][1]
    values = [int(x) for x in re.findall(r'<text x="(\d+)"[^>]*class="chart-value"', svg)]
    assert values == [x - 6 for x, _ in bars]


@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=120), st.integers(0, 10**9)),
        min_size=1,
        max_size=30,
    )
)
def test_every_bar_of_a_right_to_left_chart_stays_inside_it(rows: list[tuple[str, int]]) -> None:
    svg = str(bar_chart("t", [Bar(label, value) for label, value in rows], direction="rtl"))
    for x, w in re.findall(r'<rect x="(\d+)" y="\d+" width="(\d+)"', svg):
        assert int(x) >= 60
        assert int(x) + int(w) == WIDTH
