"""Reference data for the registry, read from maintained packages and the data files beside
this module (registry/data/README.md says where each field comes from)."""

from __future__ import annotations

import csv
import gettext
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

DATA = Path(__file__).parent / "data"

# M49: the sub-region or intermediate region given by country_converter -> (region, sub-region).
_M49_PARENTS: dict[str, tuple[str, str]] = {
    "Northern Africa": ("Africa", "Northern Africa"),
    "Eastern Africa": ("Africa", "Sub-Saharan Africa"),
    "Middle Africa": ("Africa", "Sub-Saharan Africa"),
    "Southern Africa": ("Africa", "Sub-Saharan Africa"),
    "Western Africa": ("Africa", "Sub-Saharan Africa"),
    "Caribbean": ("Americas", "Latin America and the Caribbean"),
    "Central America": ("Americas", "Latin America and the Caribbean"),
    "South America": ("Americas", "Latin America and the Caribbean"),
    "Northern America": ("Americas", "Northern America"),
    "Central Asia": ("Asia", "Central Asia"),
    "Eastern Asia": ("Asia", "Eastern Asia"),
    "South-eastern Asia": ("Asia", "South-eastern Asia"),
    "Southern Asia": ("Asia", "Southern Asia"),
    "Western Asia": ("Asia", "Western Asia"),
    "Eastern Europe": ("Europe", "Eastern Europe"),
    "Northern Europe": ("Europe", "Northern Europe"),
    "Southern Europe": ("Europe", "Southern Europe"),
    "Western Europe": ("Europe", "Western Europe"),
    "Australia and New Zealand": ("Oceania", "Australia and New Zealand"),
    "Melanesia": ("Oceania", "Melanesia"),
    "Micronesia": ("Oceania", "Micronesia"),
    "Polynesia": ("Oceania", "Polynesia"),
}

OBSERVER_STATES = ("VAT", "PSE")


@dataclass(frozen=True)
class StateRecord:
    iso3: str
    name: str
    m49_code: str
    region: str
    sub_region: str
    intermediate_region: str | None
    regional_group: str | None
    member: bool
    eu_member: bool


@dataclass(frozen=True)
class OrganisationRecord:
    code: str
    kind: str
    name: str
    short_name: str


def _country_table() -> dict[str, dict[str, str]]:
    spec = importlib.util.find_spec("country_converter")
    if spec is None or not spec.submodule_search_locations:
        msg = "the country_converter package is not installed"
        raise RuntimeError(msg)
    path = Path(next(iter(spec.submodule_search_locations))) / "country_data.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["ISO3"]: row for row in csv.DictReader(handle, delimiter="\t")}


_UN_NAMES = {
    "GBR": "United Kingdom of Great Britain and Northern Ireland",
    "USA": "United States of America",
    "VAT": "Holy See",
    "PSE": "State of Palestine",
}
_PARENTHESISED = ("Plurinational", "Bolivarian", "Islamic", "Federated")


def un_style_name(iso3: str, iso_name: str) -> str:
    """The UN's short name from the ISO 3166 name: 'Korea, Republic of' -> 'Republic of Korea',
    'Bolivia, Plurinational State of' -> 'Bolivia (Plurinational State of)'."""
    if iso3 in _UN_NAMES:
        return _UN_NAMES[iso3]
    if ", " not in iso_name:
        return iso_name
    head, tail = iso_name.split(", ", 1)
    if tail.startswith(_PARENTHESISED):
        return f"{head} ({tail})"
    tail = tail.removeprefix("The ")
    return f"{tail} {head}"


@cache
def states() -> tuple[StateRecord, ...]:
    table = _country_table()
    with (DATA / "un_regional_groups.csv").open(encoding="utf-8", newline="") as handle:
        groups = {row["iso3"]: row["regional_group"] for row in csv.DictReader(handle)}
    records = []
    for iso3, row in table.items():
        member = bool(row["UNmember"].strip())
        if not member and iso3 not in OBSERVER_STATES:
            continue
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None:
            msg = f"pycountry does not know {iso3}"
            raise RuntimeError(msg)
        region, sub_region = _M49_PARENTS[row["UNregion"]]
        intermediate = row["UNregion"] if row["UNregion"] != sub_region else None
        records.append(
            StateRecord(
                iso3=iso3,
                name=un_style_name(iso3, country.name),
                m49_code=f"{int(row['UNcode']):03d}",
                region=region,
                sub_region=sub_region,
                intermediate_region=intermediate,
                regional_group=groups.get(iso3) if member else None,
                member=member,
                eu_member=bool(row["EU"].strip()),
            )
        )
    return tuple(sorted(records, key=lambda r: r.iso3))


def organisations() -> list[OrganisationRecord]:
    with (DATA / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        return [OrganisationRecord(**row) for row in csv.DictReader(handle)]


@cache
def state_names() -> dict[str, str]:
    """Every name a country of the registry goes by, lower-cased, to its ISO3 code: the UN short
    name, the ISO 3166 names and their translations in every language pycountry carries
    ("Казахстан", "Deutschland"), as national platforms write them. A name two countries share
    in different languages names neither."""
    found: dict[str, set[str]] = {}

    def add(name: str | None, iso3: str) -> None:
        if name:
            found.setdefault(name.strip().lower(), set()).add(iso3)

    catalogs = []
    for locale in sorted(Path(pycountry.LOCALES_DIR).iterdir()):
        try:
            catalogs.append(
                gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale.name])
            )
        except OSError:
            continue
    for state in states():
        add(state.name, state.iso3)
        country = pycountry.countries.get(alpha_3=state.iso3)
        names = [
            getattr(country, field, None) for field in ("name", "official_name", "common_name")
        ]
        for name in names:
            add(name, state.iso3)
            for catalog in catalogs:
                add(catalog.gettext(name) if name else None, state.iso3)
    return {name: next(iter(codes)) for name, codes in found.items() if len(codes) == 1}
