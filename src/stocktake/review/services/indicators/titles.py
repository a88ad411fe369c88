"""An indicator's title and unit in a reader's language: the SDG framework's title where the
indicator has an SDG code the framework knows, the title its country's platform gave where that
is written in the reader's language, the title as given otherwise; the common units of Open SDG
data through the catalogs, any other unit as given."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stocktake.core.translation import DEFAULT_LANGUAGE, translatable_in, translated
from stocktake.frameworks.models import FrameworkItem
from stocktake.review.models import Indicator
from stocktake.review.services.indicators.queries import country_titles

_MARKED = (
    # as the United Kingdom's Open SDG data write them
    translatable_in("unit", "Number"),
    translatable_in("unit", "Number of children"),
    translatable_in("unit", "Number of refugees per 100,000 population"),
    translatable_in("unit", "Percentage (%)"),
    translatable_in("unit", "Rate per 100,000 (3 year average)"),
    translatable_in("unit", "Rate per 100,000 workers"),
    translatable_in("unit", "Score"),
    # as other Open SDG platforms and the UN SDG database commonly write them
    translatable_in("unit", "Percent"),
    translatable_in("unit", "Percentage"),
    translatable_in("unit", "Per 100,000 population"),
    translatable_in("unit", "Per 1,000 population"),
    translatable_in("unit", "Ratio"),
    translatable_in("unit", "Index"),
    translatable_in("unit", "Years"),
)
UNITS = {str.__str__(unit): unit for unit in _MARKED}
"""The units shown in the reader's language, by the unit as the data write it."""


def unit_in(unit: str, language: str) -> str:
    """A unit in `language` where it is a common one (`UNITS`), else as the data write it."""
    marked = UNITS.get(" ".join(unit.split()))
    return translated(marked, language) if marked is not None else unit


@dataclass(frozen=True)
class Shown:
    """A text as shown, with the language it is written in."""

    text: str
    language: str


def _same(a: str, b: str) -> bool:
    return (
        " ".join(unicodedata.normalize("NFC", a).split()).casefold()
        == " ".join(unicodedata.normalize("NFC", b).split()).casefold()
    )


def title_in(given: str, framework: Mapping[str, str], language: str) -> Shown:
    """The title to show in `language` of an indicator titled `given` (by its country's platform,
    else by the import) whose SDG code the framework titles `framework` (by language; empty when
    it has no SDG code or the framework does not know it).

    A given title that is the framework's in some language is the framework's: it is shown in
    `language` where the framework has it. A title the platform wrote in its own words names what
    the country measures, which may be a national proxy of the global indicator ("Victims of
    modern slavery in the UK", counted, for 16.2.2's victims per 100,000 population): it is kept
    for every reader, as written (taken as English, the language Open SDG folders are written in),
    never replaced by the global indicator's title."""
    texts = {k: unicodedata.normalize("NFC", v) for k, v in framework.items() if v}
    if not texts:
        return Shown(given, DEFAULT_LANGUAGE)
    written_in = next(
        (k for k, v in texts.items() if given and _same(given, v)),
        DEFAULT_LANGUAGE if given else "",
    )
    if given and written_in == language:
        return Shown(given, language)
    if given and not any(_same(given, v) for v in texts.values()):
        return Shown(given, written_in)  # the country's own words
    if language in texts:
        return Shown(texts[language], language)
    if given:
        return Shown(given, written_in)
    english = texts.get(DEFAULT_LANGUAGE)
    return Shown(english, DEFAULT_LANGUAGE) if english else Shown("", DEFAULT_LANGUAGE)


def framework_titles(
    session: Session, codes: Collection[str] | None = None
) -> dict[str, dict[str, str]]:
    """The SDG indicators' titles in each language of the framework, by code (of `codes` only
    when given)."""
    rows = select(FrameworkItem.code, FrameworkItem.texts).where(
        FrameworkItem.scheme == "sdg", FrameworkItem.level == "indicator"
    )
    if codes is not None:
        rows = rows.where(FrameworkItem.code.in_(sorted(set(codes))))
    return {code: dict(texts or {}) for code, texts in session.execute(rows)}


class IndicatorTitles:
    """The titles of indicators in each country, in one reader's language (`title_in`), read
    once for a page."""

    def __init__(
        self,
        session: Session,
        indicators: Collection[Indicator],
        countries: Collection[str] | None,
        language: str,
    ) -> None:
        self.language = language
        self.given = country_titles(session, countries)
        self.framework = framework_titles(session, {i.sdg_code for i in indicators if i.sdg_code})

    def of(self, indicator: Indicator, country: str = "") -> Shown:
        given = self.given.get((indicator.id, country)) or indicator.title
        texts = self.framework.get(indicator.sdg_code or "", {})
        return title_in(given, texts, self.language)
