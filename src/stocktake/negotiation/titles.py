"""A draft's title as papers and news name it beside the revision."""

from __future__ import annotations

import re

_ZERO_PREFIX = re.compile(r"^\s*zero\s+draft\s*(?:[:\-–—]|of\b)\s*", re.IGNORECASE)


def plain_title(title: str) -> str:
    """A draft's title without a leading "Zero draft:", for papers and news that name the revision
    beside it: "Zero draft: Global Compact" reads "Global Compact (Zero draft)", not twice."""
    return _ZERO_PREFIX.sub("", title).strip() or title
