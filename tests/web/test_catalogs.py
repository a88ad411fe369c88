"""The six catalogs are complete and sound: every text marked in the code and templates is in
each, translated, not fuzzy, with the placeholders of its English text; a broken catalog fails
here, never on a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

import stocktake
from stocktake.web.languages import AREAS, LANGUAGES, catalog

PACKAGE = Path(stocktake.__file__).parent
ROOT = PACKAGE.parents[1]
LOCALE = PACKAGE / "locale"
# the keywords `make messages` extracts with (Makefile)
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "flash": (2,),
    "_back": (2,),
    "Plural": (1, 2),
    "translatable": None,
    "translatable_plural": (1, 2),
    "translatable_in": ((1, "c"), 2),
    "Text": None,
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]|%[sd]")


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=language)


def _texts(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def _translations(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def _extracted(area: str) -> list[tuple[str, str | tuple[str, ...]]]:
    """(file, text) for each text the files of one area (`locale/<area>.cfg`) mark today."""
    with (LOCALE / f"{area}.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return [
        (
            entry[0],
            entry[2] if not isinstance(entry[2], tuple) or len(entry[2]) > 1 else entry[2][0],
        )
        for entry in extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    ]


def test_every_file_belongs_to_one_area_at_most() -> None:
    owners: dict[str, set[str]] = {}
    for area in AREAS:
        for filename, _ in _extracted(area):
            owners.setdefault(filename, set()).add(area)
    assert {name: areas for name, areas in owners.items() if len(areas) > 1} == {}


@pytest.mark.parametrize("area", AREAS)
def test_the_template_holds_every_marked_text(area: str) -> None:
    template = {message.id for message in _read(LOCALE / f"{area}.pot") if message.id}
    marked = {text for _, text in _extracted(area)}
    assert marked - template == set(), "run `make messages` and translate the new texts"
    assert template - marked == set(), (
        "run `make messages`: texts no longer used are in the template"
    )


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_is_complete_and_sound(language: str, area: str) -> None:
    template = _read(LOCALE / f"{area}.pot")
    po = _read(LOCALE / language / "LC_MESSAGES" / f"{area}.po", language)
    wanted = {message.id for message in template if message.id}
    present = {message.id for message in po if message.id}
    assert wanted - present == set(), f"{language} {area}: untranslated"
    assert present - wanted == set(), f"{language} {area}: obsolete entries"
    problems = []
    for message in po:
        if not message.id:
            continue
        english = {tuple(sorted(PLACEHOLDER.findall(text))) for text in _texts(message)}
        translations = _translations(message)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if isinstance(message.id, tuple) and len(translations) != po.num_plurals:
            problems.append(f"{len(translations)} forms, not {po.num_plurals}: {message.id!r}")
        for text in translations:
            if not text:
                problems.append(f"untranslated: {message.id!r}")
            elif tuple(sorted(PLACEHOLDER.findall(text))) not in english:
                problems.append(f"placeholders differ: {message.id!r} → {text!r}")
    assert problems == [], f"{language} {area}: " + "; ".join(problems)


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_loads_with_its_plural_rule(language: str, area: str) -> None:
    po = _read(LOCALE / language / "LC_MESSAGES" / f"{area}.po", language)
    assert po.plural_forms == Catalog(locale=language).plural_forms
    translated = catalog(language)
    for message in po:
        if message.id and not isinstance(message.id, tuple):
            if message.context:
                assert translated.pgettext(message.context, message.id) == message.string
            else:
                assert translated.gettext(message.id) == message.string
