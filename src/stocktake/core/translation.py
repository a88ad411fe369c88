"""The six languages and their catalogs (`locale/<language>/LC_MESSAGES/<area>.po`), without the
web: the pages (`stocktake.web.languages`) and the command line share them.

A light module: Babel is imported only when a catalog is first compiled, so that importing it
costs the command line nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel.support import Translations

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
"""The six official languages of the United Nations, by the codes stocktake uses everywhere."""

DEFAULT_LANGUAGE = "en"
RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar"})
LOCALE = Path(__file__).resolve().parent.parent / "locale"

LANGUAGE_VARIABLE = "STOCKTAKE_LANGUAGE"
"""The environment variable that chooses the command line's language."""
POSIX_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""The POSIX locale variables that name the language of messages, the first set one winning."""

AREAS = (
    "messages",
    "consultation",
    "stocktaking",
    "negotiation",
    "review",
    "cli",
    "notifications",
    "news",
)
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
                if message.id and merged.get(message.id, context=message.context) is None:
                    merged[message.id] = message
    if not len(merged):
        return Translations()
    compiled = io.BytesIO()
    write_mo(compiled, merged)
    compiled.seek(0)
    return Translations(compiled)


DATE_FORMATS = {"en": "d MMM y", "ar": "long"}


def format_day(day: dt.date, language: str) -> str:
    """A date as the language writes it in running text ("1 Apr 2017", "1 avr. 2017")."""
    return _format_day(day.date() if isinstance(day, dt.datetime) else day, language)


# Babel reads its patterns again on every call; a page lists many dates and numbers, and the same
# ones again and again: the formatted text is kept (the functions are pure).
@functools.lru_cache(maxsize=8192)
def _format_day(day: dt.date, language: str) -> str:
    from babel.dates import format_date

    return format_date(day, DATE_FORMATS.get(language, "medium"), locale=language)


def format_moment(moment: dt.datetime, language: str) -> str:
    """A date and time (UTC) as the language writes them ("7 Dec 2026, 08:35 UTC")."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return _format_moment(moment.astimezone(dt.UTC).replace(second=0, microsecond=0), language)


@functools.lru_cache(maxsize=4096)
def _format_moment(moment: dt.datetime, language: str) -> str:
    from babel import Locale
    from babel.dates import format_time

    day = _format_day(moment.date(), language)
    time = format_time(moment, "HH:mm" if language == "en" else "short", locale=language)
    pattern = str(Locale.parse(language).datetime_formats["medium"])
    return pattern.replace("{1}", day).replace("{0}", f"{time} UTC")


@functools.lru_cache(maxsize=4096)
def format_days(start: dt.date, end: dt.date, language: str) -> str:
    """The days of a meeting as the language writes a span of dates ("4–6 déc. 2017")."""
    from babel.dates import format_interval

    # English as the UN writes it, the day before the month: "4–6 Dec 2017"
    return format_interval(start, end, "yMMMd", locale="en_GB" if language == "en" else language)


@functools.lru_cache(maxsize=8192, typed=True)
def format_number(
    number: float, language: str, pattern: str | None = None, *, quantize: bool = True
) -> str:
    """A number with the language's grouping and decimal signs ("12,345", "12 345"), or after
    `pattern` ("#,##0.00": "250 000,00"), as Babel's `format_decimal` writes it (`quantize`
    false: every decimal kept, as its `decimal_quantization=False`)."""
    parsed, locale = _number_pattern(pattern, language)
    if not number:  # a negative zero is written as zero ("0", not "-0"), whichever was kept first
        number = abs(number)
    return str(parsed.apply(number, locale, decimal_quantization=quantize))


@functools.lru_cache(maxsize=64)
def _number_pattern(pattern: str | None, language: str) -> tuple[Any, Any]:
    """The parsed pattern and locale of `format_decimal`, which parses both again on every call
    (about a hundred calls a number, and a page of indicators writes dozens)."""
    from babel import Locale
    from babel.numbers import parse_pattern

    locale = Locale.parse(language)
    return parse_pattern(pattern or locale.decimal_formats[None]), locale


PAPER_DAY_FORMATS = {"en": "d MMMM y"}
"""How a paper (a report, a summary) writes a day: the month in full ("7 December 2026",
"7 décembre 2026"), English as the UN writes it, the day before the month."""


def written_day(day: dt.date, language: str) -> str:
    """A day as a paper writes it: "7 December 2026", "7 décembre 2026", "2026年12月7日"."""
    from babel.dates import format_date

    return format_date(day, PAPER_DAY_FORMATS.get(language, "long"), locale=language)


def written_days(start: dt.date, end: dt.date, language: str) -> str:
    """The days of a meeting as a paper writes them: "5–8 May 2026", "5–8 mai 2026",
    "5 May – 2 June 2026"."""
    from babel.dates import format_date, format_interval

    if start == end:
        return written_day(start, language)
    if language == "en":
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{written_day(end, language)}"
        first = format_date(start, "d MMMM" if start.year == end.year else "d MMMM y", locale="en")
        return f"{first} – {written_day(end, language)}"
    days = format_interval(start, end, "yMMMMd", locale=language)
    if (start.year, start.month) == (end.year, end.month):
        days = days.replace("\u2009–\u2009", "–")
    return days


def written_number(value: float, language: str) -> str:
    """A measured value as the language writes it, to six significant digits: "1,256", "1 256",
    "0,183194"."""
    return format_number(float(f"{value:.6g}"), language, quantize=False)


def translatable(message: str) -> str:
    """Mark a message for the catalogs (`make messages` extracts it) where it is written; it is
    translated where it is shown, in the page's language (the `translated` filter, flashes)."""
    return message


class Text(str):
    """A message marked for the catalogs together with its values: where it is used as a string
    it reads in English ("unknown country 'Narnia'"); where it is shown to someone (a page, an API
    answer, a command's error) it is translated into their language by `shown`.

    `Text("unknown country %(country)r", country=code)`: the message is a catalog key with named
    placeholders (`make messages` extracts it); a value that is itself a `Text` (the name of a
    thing, say) is translated too."""

    msgid: str
    values: Mapping[str, object]

    def __new__(cls, msgid: str, /, **values: object) -> Text:
        try:
            english = msgid % values if values else msgid
        except (KeyError, ValueError, TypeError):
            english = msgid
        text = super().__new__(cls, english)
        text.msgid = msgid
        text.values = values
        return text

    def __reduce__(self) -> tuple[object, ...]:  # pickled as the English text with its key
        return (_remade, (self.msgid, dict(self.values)))


def _remade(msgid: str, values: dict[str, object]) -> Text:
    return Text(msgid, **values)


class Named(str):
    """A value of a message that each language names its own way, a State above all: it reads in
    English where it is used as a string; `shown` asks `naming` for its name in the reader's
    language (`Text("registered for %(actor)s", actor=Named("Mexico", naming))`)."""

    naming: Callable[[str], str]

    def __new__(cls, english: str, /, naming: Callable[[str], str]) -> Named:
        named = super().__new__(cls, english)
        named.naming = naming
        return named

    def in_language(self, language: str) -> str:
        return str.__str__(self) if language == DEFAULT_LANGUAGE else self.naming(language)

    def __reduce__(self) -> tuple[object, ...]:  # pickled as its English name
        return (str, (str.__str__(self),))


def text_data(message: object) -> object:
    """A message as JSON keeps it (a job's result): a `Text` as its key and values, so that it is
    read back (`text_of_data`) and shown in each reader's language; a number as it is; anything
    else as its string."""
    if isinstance(message, Text):
        return {
            "msgid": message.msgid,
            "values": {name: text_data(value) for name, value in message.values.items()},
        }
    if isinstance(message, Counted):
        return {"counted": int(message)}
    if isinstance(message, bool) or not isinstance(message, int | float):
        return str(message)
    return message


def text_of_data(data: object) -> object:
    """A message kept by `text_data`, as it was given (a `Text` again)."""
    if isinstance(data, dict):
        if "counted" in data:
            return Counted(int(data["counted"]))
        values = data.get("values")
        return Text(
            str(data.get("msgid", "")),
            **(
                {str(k): text_of_data(v) for k, v in values.items()}
                if isinstance(values, dict)
                else {}
            ),
        )
    return data


FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolated(text: str) -> str:
    """A text set apart from the direction of the sentence around it (Unicode's first strong
    isolate): an English code quoted in an Arabic sentence keeps its quotation marks around it."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


class _Isolated:
    """A value quoted in a right-to-left sentence, isolated with its quotation marks (`%r`)."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __str__(self) -> str:
        return isolated(str(self.value))

    def __repr__(self) -> str:
        return isolated(repr(self.value))


def shown(message: object, language: str, *, isolate: bool = False) -> str:
    """A message in `language`: a `Text` translated through the catalogs, its values filled in
    (each `Text` value translated too); any other message as it is. A translation whose
    placeholders do not fit its values falls back to the English text, never to an error.

    `isolate` (a page): in a right-to-left language each quoted value (a code, a name, a file) is
    isolated, so that it reads as written, its quotation marks in place, inside the sentence."""
    if not isinstance(message, Text):
        return str(message)
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return str.__str__(message)
    translated = catalog(language).gettext(message.msgid)
    if not message.values:
        return translated
    right_to_left = isolate and language in RIGHT_TO_LEFT_LANGUAGES
    named = {
        name: value.in_language(language) if isinstance(value, Named) else value
        for name, value in message.values.items()
    }
    values = {
        name: shown(value, language, isolate=isolate)
        if isinstance(value, Text)
        else _Isolated(value)
        if right_to_left and isinstance(value, str)
        else _shown_value(value, language)
        for name, value in named.items()
    }
    try:
        return translated % values
    except (KeyError, ValueError, TypeError):
        return str.__str__(message)


def _shown_value(value: object, language: str) -> object:
    if isinstance(value, Text):
        return shown(value, language)
    if isinstance(value, Counted):
        return format_number(int(value), language)
    return value


class Counted(int):
    """A number a message counts with (a limit, a size), grouped as each language writes it:
    "2,048" in English, "2 048" in French. (An id or a line number is a plain int: never grouped.)"""

    def __str__(self) -> str:
        return f"{int(self):,}"


class InContext(str):
    """A marked text that names something in a context of its own (`translatable_in`): the same
    English word may need another form in a language, as a status of a run ("achevée") rather
    than of a pledge ("achevé")."""

    context: str

    def __new__(cls, context: str, message: str) -> InContext:
        text = super().__new__(cls, message)
        text.context = context
        return text


def translatable_in(context: str, message: str) -> InContext:
    """Mark a message for the catalogs in a context (gettext's `msgctxt`), for a word that other
    places use in another sense; it is translated where it is shown, like `translatable`."""
    return InContext(context, message)


def translated(message: str, language: str) -> str:
    """A marked text (`translatable`, `translatable_in`) in `language`."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return str.__str__(message)
    found = catalog(language)
    if isinstance(message, InContext):
        return str(found.pgettext(message.context, str.__str__(message)))
    return found.gettext(message)


def translatable_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message that counts, in its singular and plural forms, for the catalogs."""
    return singular, plural


def language_code(name: str) -> str:
    """The language part of a locale name or a language tag: `fr_FR.UTF-8` and `fr-CA` are `fr`,
    `zh_Hans_CN` is `zh`, `C` and `POSIX` are `c` and `posix` (none of the six)."""
    return re.split(r"[-_.@]", name.strip(), maxsplit=1)[0].lower()


def command_language(environ: Mapping[str, str]) -> tuple[str, str | None]:
    """The command line's language and, when `STOCKTAKE_LANGUAGE` names none of the six, the
    code it named (else None): `STOCKTAKE_LANGUAGE` if set, else the first of the POSIX locale
    variables set (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English. A locale of a language that is
    not one of the six (`de_DE.UTF-8`, `C`) means English, as for any program without it."""
    chosen = environ.get(LANGUAGE_VARIABLE, "").strip()
    if chosen:
        code = language_code(chosen)
        return (code, None) if code in LANGUAGES else (DEFAULT_LANGUAGE, chosen[:20])
    for variable in POSIX_VARIABLES:
        value = environ.get(variable, "").strip()
        if value:
            code = language_code(value)
            return (code if code in LANGUAGES else DEFAULT_LANGUAGE), None
    return DEFAULT_LANGUAGE, None


def joined(parts: Sequence[str]) -> str:
    """Messages said one after the other ("a; b; c"), each still shown in the reader's language
    where it is a `Text`: one `Text` whose values are the parts (nested by halves, so that even a
    long list stays shallow)."""
    if len(parts) <= 1:
        return parts[0] if parts else ""
    middle = len(parts) // 2
    return Text(
        "%(before)s; %(after)s", before=joined(parts[:middle]), after=joined(parts[middle:])
    )
