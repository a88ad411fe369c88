"""Bar charts as inline SVG: readable without JavaScript, a few hundred bytes on a slow line."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

LABEL_CHARS = 48
"""The most characters of a label that fit on its line above its bar at the chart's font size; a
longer label is cut short with an ellipsis and keeps its full name in a <title> (shown on hover,
read by screen readers)."""
WIDTH = 400
"""The chart's own width: drawn at 28rem at most (stocktake.css), its 14-unit text stays 12.5 px or
more on a 390 px phone and about 15 px on a wide screen."""


def _label(text: str) -> str:
    if len(text) <= LABEL_CHARS:
        return escape(text)
    short = text[: LABEL_CHARS - 1].rstrip() + "…"
    return f"<title>{escape(text)}</title>{escape(short)}"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def bar_chart(
    title: str, bars: list[Bar], *, unit: str = "", width: int = WIDTH, direction: str = "ltr"
) -> Markup:
    """A horizontal bar chart, each label on its own line above its bar so that a long name is
    never cut at the start; `title` names it for screen readers, the page keeps a table too.

    The chart says its own direction: on a right-to-left page (`direction="rtl"`) its labels
    start at the right edge and its bars grow leftwards from it, as the page reads; a chart drawn
    left to right keeps its labels at the left edge on any page (a text's start is where it is
    anchored, so a right-to-left page's direction would otherwise push them out of sight)."""
    if not bars:
        return Markup("")
    rtl = direction == "rtl"
    row, label_line, bar_height = 42, 16, 16
    top = max(b.value for b in bars) or 1
    plot = width - 70
    height = row * len(bars)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="{"xMaxYMin" if rtl else "xMinYMin"} meet" '
        f'direction="{"rtl" if rtl else "ltr"}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = index * row
        length = max(1, round(plot * bar.value / top)) if bar.value else 0
        edge, bar_x, value_x = (
            (width, width - length, width - length - 6) if rtl else (0, 0, length + 6)
        )
        parts.append(
            f'<text x="{edge}" y="{y + label_line - 2}" class="chart-label">{_label(bar.label)}</text>'
            f'<rect x="{bar_x}" y="{y + label_line + 2}" width="{length}" height="{bar_height}" '
            f'class="chart-bar"/>'
            f'<text x="{value_x}" y="{y + label_line + bar_height - 1}" class="chart-value">'
            f"{bar.value:,}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text part is escaped above)


def line_chart(
    title: str, points: list[tuple[float, float]], *, width: int = 160, height: int = 40
) -> Markup:
    """A small line of values over time (a sparkline), the latest point marked; `title` says in
    words what it shows (first and latest value), and the page keeps the figures beside it."""
    if len(points) < 2:
        return Markup("")
    pad = 4
    times = [t for t, _ in points]
    values = [v for _, v in points]
    t0, low = min(times), min(values)
    wide, tall = width - 2 * pad, height - 2 * pad
    across, up = (max(times) - t0) or 1, (max(values) - low) or 1
    # each point's place, worked out in the loop itself: a page draws many of these lines
    placed = [
        (pad + wide * ((t - t0) / across), height - pad - tall * ((v - low) / up))
        for t, v in points
    ]
    line = " ".join([f"{x:.1f},{y:.1f}" for x, y in placed])
    last_x, last_y = placed[-1]
    return Markup(  # noqa: S704  (the only text, the title, is escaped)
        f'<svg class="chart spark" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<polyline points="{line}" class="chart-line"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3" class="chart-point"/></svg>'
    )
