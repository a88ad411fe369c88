"""Paragraph status over the rounds of negotiation as an inline SVG of stacked bars."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from stocktake.negotiation.formats.writing import STATUS_NAMES
from stocktake.negotiation.services.revisions import RoundProgress

COLOURS = {
    "open": "#b3261e",
    "under_discussion": "#c77700",
    "agreed_ad_ref": "#4f7cac",
    "agreed": "#1e7b34",
}


def status_chart(rounds: list[RoundProgress], *, width: int = 640) -> Markup:
    """One stacked bar per round: how many paragraphs were open, under discussion, agreed ad
    ref. and agreed after it. The page keeps the same figures in a table."""
    if not rounds:
        return Markup("")
    row, label_width, legend = 30, 200, 28
    plot = width - label_width - 20
    height = legend + row * len(rounds) + 6
    top = max(sum(r.counts.values()) for r in rounds) or 1
    parts = [
        f'<svg class="chart" role="img" aria-label="Paragraph status after each round" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg"><title>Paragraph status after each round</title>'
    ]
    x = label_width
    for status, colour in COLOURS.items():
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="15" class="chart-label">{escape(STATUS_NAMES[status])}</text>'
        )
        x += 16 + 8 * len(STATUS_NAMES[status]) + 14
    for index, item in enumerate(rounds):
        y = legend + index * row
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" class="chart-label">'
            f"Round {index + 1} ({escape(item.revision)})</text>"
        )
        left = float(label_width)
        for status, colour in COLOURS.items():
            count = item.counts.get(status, 0)
            length = plot * count / top
            if count:
                parts.append(
                    f'<rect x="{left:.1f}" y="{y}" width="{length:.1f}" height="{row - 10}" '
                    f'fill="{colour}"><title>{escape(STATUS_NAMES[status])}: {count}</title></rect>'
                )
            left += length
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text part is escaped above)
