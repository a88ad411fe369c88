"""The summary's own words in its language: the catalog shared by every process
(`summary/catalog/words.toml`), names of languages, regional groups and regions, and numbers written
as the language writes them."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from stocktake.process.definition import LANGUAGES, Names, ProcessDefinition, Term

CATALOG = Path(__file__).parent.parent / "catalog" / "words.toml"
GROUP_SEPARATORS = {"en": ",", "zh": ",", "ar": ",", "fr": "\u202f", "ru": "\u00a0", "es": "."}
"""Thousands separators; Spanish groups only from five digits, as its style books say."""


@cache
def _catalog() -> dict[str, Any]:
    with CATALOG.open("rb") as handle:
        return tomllib.load(handle)


@cache
def annex_words() -> tuple[str, ...]:
    """How the heading of an annex starts in each language: 'Annex', 'Anexo', 'المرفق', '附件'…"""
    catalog = _catalog()
    return tuple(
        sorted(
            {
                re.split(r"\s*[:：]", catalog[key][language], maxsplit=1)[0]
                for key in ("sources_annex", "not_represented")
                for language in LANGUAGES
            }
        )
    )


class Words:
    """The words of one summary language."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            msg = f"unknown summary language {language!r}"
            raise ValueError(msg)
        self.language = language

    def __call__(self, key: str, **values: object) -> str:
        entry: dict[str, str] = _catalog()[key]
        return entry.get(self.language, entry["en"]).format(**values)

    def names_a_meeting(self, name: str) -> bool:
        """Whether a meeting's name calls it a meeting in the language ("Réunion de bilan",
        "盘点会议"), so that a sentence does not say "the meeting" before it again."""
        word = self("meeting_word")
        if not word:
            return False
        if self.language == "zh":
            return name.strip().endswith(word)
        return name.strip().casefold().startswith(word.casefold())

    def number(self, value: int) -> str:
        """1936 as the language writes it: 1,936, 1 936, 1936 (Spanish, four digits)."""
        digits = f"{value:,}"
        if self.language == "es" and abs(value) < 10_000:
            return str(value)
        return digits.replace(",", GROUP_SEPARATORS[self.language])

    def counted(self, key: str, count: int) -> str:
        """'42 delegations', '1 delegation': the catalog's `KEY_one` entry where the language's
        plural rules put the number in its 'one' form (1 in English, 21 in Russian)."""
        from babel import Locale  # the command line starts without babel

        form = Locale.parse(self.language).plural_form(count)
        entry = f"{key}_one" if form == "one" else key
        return self(entry, n=self.number(count))

    def dates(self, start: dt.date, end: dt.date) -> str:
        """A meeting's dates as the language writes them: 4–6 December 2017, 4–6 décembre 2017,
        2017年12月4日至6日."""
        months: list[str] = _catalog()["months"][self.language]
        parts = {
            "d1": start.day,
            "d2": end.day,
            "m1": months[start.month - 1],
            "m2": months[end.month - 1],
            "y": end.year,
        }
        if start == end:
            return self("date_day", **parts)
        if (start.year, start.month) == (end.year, end.month):
            return self("date_month", **parts)
        return self("date_span", **parts)

    def language_name(self, code: str) -> str:
        names: dict[str, str] = _catalog()["languages"][self.language]
        return names.get(code, code)

    def language_names(self) -> dict[str, str]:
        """The six languages a summary is written in, named in this language."""
        return {code: self.language_name(code) for code in LANGUAGES}

    def regional_group(self, key: str) -> str:
        names: dict[str, dict[str, str]] = _catalog()["regional_groups"]
        return names.get(key, {}).get(self.language) or key.replace("_", " ")

    def region(self, name: str) -> str:
        names: dict[str, dict[str, str]] = _catalog()["regions"]
        return names.get(name, {}).get(self.language) or name

    @property
    def comma(self) -> str:
        return "، " if self.language == "ar" else ("、" if self.language == "zh" else ", ")

    @property
    def space(self) -> str:
        """What stands between two sentences: nothing in Chinese."""
        return "" if self.language == "zh" else " "

    @property
    def semicolon(self) -> str:
        """'; ' as the language writes it: with a narrow space before it in French."""
        return {"fr": "\u202f; ", "ar": "؛ ", "zh": "；"}.get(self.language, "; ")

    def joined(self, items: list[str]) -> str:
        """'a, b and c' in the language."""
        if len(items) < 2:
            return "".join(items)
        return self.comma.join(items[:-1]) + self("and") + items[-1]

    def listed(self, items: list[str]) -> str:
        """'a, b, c' in the language."""
        return self.comma.join(items)

    def term(self, term: Term) -> str:
        """A term of the definition in this language (its English name when it has none)."""
        return term.all_names().get(self.language, term.name)

    def names(self, names: Names | None, default: str) -> str:
        chosen = names.model_dump().get(self.language) if names else None
        return chosen or default

    def category(self, definition: ProcessDefinition, key: str) -> str:
        term = next((t for t in definition.stakeholder_categories if t.key == key), None)
        return self.term(term) if term else key.replace("_", " ")

    def actor_kind(self, definition: ProcessDefinition, key: str) -> str:
        term = next((t for t in definition.actor_kinds if t.key == key), None)
        return self.term(term) if term else key.replace("_", " ")
