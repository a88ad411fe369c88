"""The catalogs' extractor for the command line's help (`locale/cli.cfg`): the help texts of the
whole command tree and what the parser says of its own (`stocktake.core.cli_help`), so that a new
command's help reaches the catalogs without being marked by hand. It stands at the top, beside the
root command it reads."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from stocktake.core.cli_help import CLICK_WORDS, REFUSALS, help_texts


def extract(
    fileobj: Any, keywords: Iterable[str], comment_tags: Iterable[str], options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str | tuple[str, str], list[str]]]:
    """Babel's extractor for the command line's help (`locale/cli.cfg`): the help texts of the
    whole command tree, Click's and Typer's own words."""
    from typer.main import get_command

    from stocktake.cli import app  # the whole command tree, read when the catalogs are made

    for text in dict.fromkeys(help_texts(get_command(app))):
        yield 0, None, text, []
    for word in CLICK_WORDS:
        yield 0, None, word, []
    for _pattern, key in REFUSALS:
        yield 0, None, key, []
