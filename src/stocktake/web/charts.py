"""Bar charts as inline SVG: readable without JavaScript, a few hundred bytes on a slow line."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

LABEL_CHARS = 32
"""The most characters of a label that fit left of the bars at the chart's font size; a longer
label is cut short with an ellipsis and keeps its full name in a <title> (shown on hover, read by
screen readers)."""


def _label(text: str) -> str:
    if len(text) <= LABEL_CHARS:
        return escape(text)
    short = text[: LABEL_CHARS - 1].rstrip() + "…"
    return f"<title>{escape(text)}</title>{escape(short)}"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def bar_chart(title: str, bars: list[Bar], *, unit: str = "", width: int = 600) -> Markup:
    """A horizontal bar chart; `title` names it for screen readers, the page keeps a table too."""
    if not bars:
        return Markup("")
    row, label_width, gap = 28, 250, 6
    top = max(b.value for b in bars) or 1
    plot = width - label_width - 60
    height = row * len(bars) + gap
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = index * row + gap
        length = max(1, round(plot * bar.value / top)) if bar.value else 0
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" class="chart-label">'
            f"{_label(bar.label)}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{row - 8}" class="chart-bar"/>'
            f'<text x="{label_width + length + 6}" y="{y + 15}" class="chart-value">'
            f"{bar.value:,}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text part is escaped above)
