"""Paragraph status over the rounds of negotiation as an inline SVG of stacked bars."""

from __future__ import annotations

import unicodedata
from html import escape

from markupsafe import Markup

from stocktake.core.translation import RIGHT_TO_LEFT_LANGUAGES, translatable, translated
from stocktake.negotiation.exports import REVISION_WORDS
from stocktake.negotiation.formats.writing import status_name
from stocktake.negotiation.services.revisions import RoundProgress

TITLE = translatable("Paragraph status after each round")
ROUND = translatable("Round %(number)s (%(revision)s)")

COLOURS = {
    "open": "#b3261e",
    "under_discussion": "#c77700",
    "agreed_ad_ref": "#4f7cac",
    "agreed": "#1e7b34",
}


def _wide(text: str) -> int:
    """How many narrow letters' room `text` takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _anchor(end: bool, language: str) -> str:
    """Where a label is anchored, the same way round in a right-to-left language: a label
    written from its `end` (the round's name, before its bar) or from its start (the legend)."""
    if language in RIGHT_TO_LEFT_LANGUAGES:
        return f'direction="rtl" text-anchor="{"start" if end else "end"}" '
    return 'text-anchor="end" ' if end else ""


def status_chart(rounds: list[RoundProgress], *, language: str = "en", width: int = 640) -> Markup:
    """One stacked bar per round: how many paragraphs were open, under discussion, agreed ad
    ref. and agreed after it, its words in the page's `language`. The page keeps the same
    figures in a table."""
    if not rounds:
        return Markup("")
    names = {status: status_name(status, language) for status in COLOURS}
    said = [
        translated(ROUND, language)
        % {
            "number": index,
            "revision": translated(REVISION_WORDS.get(item.revision, item.revision), language),
        }
        for index, item in enumerate(rounds, start=1)
    ]
    # the rounds' names and the legend fit whole, however long a language says them
    row, legend = 30, 28
    label_width = max(200, 8 * max(_wide(label) for label in said) + 16)
    keys = sum(16 + 8 * _wide(name) + 14 for name in names.values())
    width = max(width, label_width + keys, label_width + 260)
    plot = width - label_width - 20
    height = legend + row * len(rounds) + 6
    top = max(sum(r.counts.values()) for r in rounds) or 1
    title = escape(translated(TITLE, language))
    parts = [
        f'<svg class="chart" role="img" aria-label="{title}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{title}</title>'
    ]
    x = label_width
    for status, colour in COLOURS.items():
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="15" {_anchor(False, language)}class="chart-label">'
            f"{escape(names[status])}</text>"
        )
        x += 16 + 8 * _wide(names[status]) + 14
    for index, item in enumerate(rounds):
        y = legend + index * row
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" {_anchor(True, language)}'
            f'class="chart-label">{escape(said[index])}</text>'
        )
        left = float(label_width)
        for status, colour in COLOURS.items():
            count = item.counts.get(status, 0)
            length = plot * count / top
            if count:
                parts.append(
                    f'<rect x="{left:.1f}" y="{y}" width="{length:.1f}" height="{row - 10}" '
                    f'fill="{colour}"><title>{escape(names[status])}: {count}</title></rect>'
                )
            left += length
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text part is escaped above)
