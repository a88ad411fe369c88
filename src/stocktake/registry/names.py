"""A State's name in the reader's language, for the papers and pages that name countries: the
registry's own name in English; in the five other languages the name in `data/state_names.csv`
where the UN's differs from the everyday one, else the Unicode CLDR's territory name, shipped with
Babel (data/README.md says why)."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache, partial

import pycountry

from stocktake.core.translation import Named, translatable, translated
from stocktake.registry import reference
from stocktake.registry.models import STATE_KINDS, Actor

DEFAULT_LANGUAGE = "en"


@cache
def _english() -> dict[str, str]:
    return {state.iso3: state.name for state in reference.states()}


@cache
def _named_by_hand() -> dict[str, dict[str, str]]:
    with (reference.DATA / "state_names.csv").open(encoding="utf-8", newline="") as handle:
        return {row.pop("iso3"): row for row in csv.DictReader(handle)}


@cache
def country_name(iso3: str, language: str = DEFAULT_LANGUAGE) -> str:
    """'United Kingdom of Great Britain and Northern Ireland', 'Royaume-Uni de Grande-Bretagne et
    d'Irlande du Nord', 'المكسيك', 'Philippines'; the code itself when no list knows it."""
    code = iso3.upper()
    english = _english().get(code, "")
    if language == DEFAULT_LANGUAGE:
        return english or iso3
    by_hand = _named_by_hand().get(code, {}).get(language)
    if by_hand:
        return by_hand
    country = pycountry.countries.get(alpha_3=code)
    if country is not None:
        from babel import Locale, UnknownLocaleError

        try:
            name: str | None = Locale.parse(language).territories.get(country.alpha_2)
        except (UnknownLocaleError, ValueError):
            name = None
        if name:
            return name
    return english or iso3


def actor_name(actor: Actor, language: str = DEFAULT_LANGUAGE) -> str:
    """An actor as the reader's language names it: a State by its country's name there, any
    other actor by its own name (organisations write their names themselves)."""
    return named_as(actor.kind, actor.iso3, actor.display_name, language)


def named_actor(actor: Actor) -> Named:
    """An actor as a value of a message (`core.translation.Text`): its own short name in English,
    named as `actor_name` names it in the language the message is shown in."""
    own = actor.display_name
    return Named(own, partial(named_as, actor.kind, actor.iso3, own))


GROUP_KIND = "group_of_states"
GROUP_NAMES = {
    "African States": translatable("African States"),
    "Asia-Pacific States": translatable("Asia-Pacific States"),
    "EEG": translatable("EEG"),
    "GRULAC": translatable("GRULAC"),
    "WEOG": translatable("WEOG"),
    "Group of African States": translatable("African States"),
    "Group of Asia-Pacific States": translatable("Asia-Pacific States"),
    "Group of Eastern European States": translatable("Eastern European States"),
    "Group of Latin American and Caribbean States": translatable(
        "Latin American and Caribbean States"
    ),
    "Group of Western European and other States": translatable("Western European and other States"),
    "EU": translatable("EU"),
    "European Union": translatable("European Union"),
    "African Group": translatable("African Group"),
}
"""The groups of States the registry ships, by their English names (short and full), as the
other languages name them: "Estados de Asia y el Pacífico" as the coverage names the regional
group; an acronym as delegations say it in that language (GRULAC in French and Spanish, ГРУЛАК in
Russian), or the group's name where the language has no acronym for it."""


def named_as(kind: str, iso3: str | None, own: str, language: str = DEFAULT_LANGUAGE) -> str:
    """An actor from its registry columns, as `actor_name` names it: a State (`kind`) by its
    country's name in `language`; a group of States the registry ships by its name in
    `language` (`GROUP_NAMES`); in English, and for other groups and organisations, by `own`
    (its short name, else its name)."""
    if language == DEFAULT_LANGUAGE:
        return own
    if iso3 and kind in STATE_KINDS:
        return country_name(iso3, language)
    if kind == GROUP_KIND and own in GROUP_NAMES:
        return translated(GROUP_NAMES[own], language)
    return own


def _folded(text: str) -> str:
    """A name as a search compares it: in any case, with or without its accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=16384)
def name_key(name: str) -> str:
    """A name as a list sorts it: in any case and with or without its accents, so that
    "Émirats arabes unis" comes before "Équateur" and after "Égypte", not after "Zimbabwe"."""
    return _folded(name)


def actor_key(actor: Actor, language: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """An actor as a list sorts it: by the name a page in `language` shows it by (a State by its
    country's name there, any other actor by its full name), then by its code."""
    return name_key(named_as(actor.kind, actor.iso3, actor.name, language)), actor.code


def sort_key(kind: str, iso3: str | None, name: str, code: str, language: str) -> tuple[str, str]:
    """`actor_key` from an actor's columns, without loading the actor."""
    return name_key(named_as(kind, iso3, name, language)), code


def by_name(actors: Iterable[Actor], language: str = DEFAULT_LANGUAGE) -> list[Actor]:
    """Actors in the order of the names a page in `language` shows them by (`actor_key`)."""
    return sorted(actors, key=lambda actor: actor_key(actor, language))


@cache
def _folded_names(language: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, _folded(country_name(code, language))) for code in _english())


def states_named(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The codes of the States whose name in `language` holds `text`, in any case and with or
    without accents: 'mexique' or 'Pérou' in French, 'Мекс' in Russian."""
    wanted = _folded(text.strip())
    if not wanted:
        return []
    return [code for code, name in _folded_names(language) if wanted in name]
