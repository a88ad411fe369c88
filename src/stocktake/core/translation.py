"""The six languages and their catalogs (`locale/<language>/LC_MESSAGES/<area>.po`), without the
web: the pages (`stocktake.web.languages`) and the command line share them.

A light module: Babel is imported only when a catalog is first compiled, so that importing it
costs the command line nothing.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.support import Translations

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
"""The six official languages of the United Nations, by the codes stocktake uses everywhere."""

DEFAULT_LANGUAGE = "en"
LOCALE = Path(__file__).resolve().parent.parent / "locale"

AREAS = ("messages", "consultation", "stocktaking", "negotiation", "review", "cli")
"""The catalogs of each language, one per area of the product (`locale/<area>.cfg` names its files);
the frame's (`messages`) first, so that its translation of a text the areas share is the one kept."""


@functools.cache
def catalog(language: str) -> Translations:
    """The translations of one language, compiled from its areas' `.po` files (English has none:
    its messages are the catalogs' keys)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    if language not in LANGUAGES:
        return Translations()
    merged = Catalog(locale=language)
    for area in AREAS:
        source = LOCALE / language / "LC_MESSAGES" / f"{area}.po"
        if not source.exists():
            continue
        with source.open("rb") as po:
            for message in read_po(po, locale=language):
                if message.id and message.id not in merged:
                    merged[message.id] = message
    if not len(merged):
        return Translations()
    compiled = io.BytesIO()
    write_mo(compiled, merged)
    compiled.seek(0)
    return Translations(compiled)


def translatable(message: str) -> str:
    """Mark a message for the catalogs (`make messages` extracts it) where it is written; it is
    translated where it is shown, in the page's language (the `translated` filter, flashes)."""
    return message


def translatable_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message that counts, in its singular and plural forms, for the catalogs."""
    return singular, plural
