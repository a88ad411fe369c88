"""The words of a notification and of its e-mails, in the reader's language.

A notification keeps its English message (a key of the catalogs) and its values; it is worded when
it is shown or mailed. An e-mail's bodies hold `[[site]]` where the site's address goes and
`[[unsubscribe]]` where its unsubscribe link goes: the sender fills them in when it delivers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from stocktake.core.translation import catalog, format_days, translatable, translatable_plural
from stocktake.notifications.kinds import NAMES, Kind
from stocktake.registry.names import DEFAULT_LANGUAGE, country_name

SITE = "[[site]]"
UNSUBSCRIBE = "[[unsubscribe]]"
SUBJECT_LENGTH = 200

STATE = "_iso3"
"""A value named `<name>_iso3` is the country of the State that `<name>` names: a reader in another
language than English reads that State by its name there (`registry/names.py`)."""

STATUS_WORDS = {
    "published": translatable("published"),
    "withdrawn": translatable("withdrawn"),
    "accepted": translatable("accepted"),
    "accepted_as_modified": translatable("accepted as modified"),
    "rejected": translatable("rejected"),
    "withdrawn_amendment": translatable("withdrawn"),
    "superseded": translatable("superseded"),
    "merged": translatable("merged"),
    "under_discussion": translatable("under discussion"),
    "proposed": translatable("proposed"),
}
"""The status words a message may name, each shown through the catalogs, never the stored value."""

DIGEST_SUBJECT = translatable_plural(
    "Your daily digest: %(num)s notification", "Your daily digest: %(num)s notifications"
)


def worded(message: str, values: Mapping[str, Any], language: str) -> str:
    """The message in the language, its placeholders filled: dates as the language writes them, a
    status through its word, a State by its name in the language; the English text when a
    translation cannot be filled."""
    translations = catalog(language)
    filled: dict[str, Any] = dict(values)
    if language != DEFAULT_LANGUAGE:
        for name, value in values.items():
            if name.endswith(STATE) and value:
                filled[name.removesuffix(STATE)] = country_name(str(value), language)
    if "start" in values and "end" in values:
        filled["dates"] = format_days(
            dt.date.fromisoformat(values["start"]), dt.date.fromisoformat(values["end"]), language
        )
    if "status" in values:
        filled["status"] = translations.gettext(STATUS_WORDS.get(values["status"], "proposed"))
    try:
        return translations.gettext(message) % filled
    except (KeyError, ValueError, TypeError):
        return message % filled


@dataclass(frozen=True)
class Item:
    """One piece of news as an e-mail names it: its message, values and link (a site path)."""

    message: str
    values: Mapping[str, Any]
    link: str


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def _footer(language: str, reason: str) -> tuple[str, str]:
    _ = catalog(language).gettext
    stop = _("Stop these e-mails:")
    change = _("Choose what you hear of:")
    text = f"-- \n{reason}\n{stop} {UNSUBSCRIBE}\n{change} {SITE}/account/notifications\n"
    html = (
        f'<hr><p style="font-size:smaller">{escape(reason)}<br>'
        f'<a href="{UNSUBSCRIBE}">{escape(stop.rstrip(":"))}</a> · '
        f'<a href="{SITE}/account/notifications">{escape(change.rstrip(":"))}</a></p>'
    )
    return text, html


def _page(language: str, body: str) -> str:
    direction = "rtl" if language == "ar" else "ltr"
    return (
        f'<!DOCTYPE html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
        f"</head><body>{body}</body></html>"
    )


def one_mail(kind: Kind, item: Item, language: str) -> Mail:
    """The e-mail sent at once for one piece of news."""
    _ = catalog(language).gettext
    said = worded(item.message, item.values, language)
    subject = said if len(said) <= SUBJECT_LENGTH else said[: SUBJECT_LENGTH - 1] + "…"
    read = _("Read it on the site:")
    reason = _("You receive this e-mail because you asked to hear of: %(kind)s.") % {
        "kind": _(NAMES[kind])
    }
    foot_text, foot_html = _footer(language, reason)
    text = f"{said}\n\n{read} {SITE}{item.link}\n\n{foot_text}"
    html = _page(
        language,
        f"<p>{escape(said)}</p>"
        f'<p><a href="{SITE}{escape(item.link)}">{escape(read.rstrip(":"))}</a></p>{foot_html}',
    )
    return Mail(subject, text, html)


def digest_mail(items: Sequence[Item], language: str) -> Mail:
    """The daily digest: every piece of news of the day that the user asked to hear of there."""
    translations = catalog(language)
    _ = translations.gettext
    count = len(items)
    subject = translations.ngettext(*DIGEST_SUBJECT, count) % {"num": count}
    lines = [worded(i.message, i.values, language) for i in items]
    reason = _("You receive this digest because you asked for a daily digest of your news.")
    foot_text, foot_html = _footer(language, reason)
    text = (
        subject
        + "\n\n"
        + "\n\n".join(f"- {line}\n  {SITE}{i.link}" for line, i in zip(lines, items, strict=True))
        + f"\n\n{foot_text}"
    )
    listed = "".join(
        f'<li><a href="{SITE}{escape(i.link)}">{escape(line)}</a></li>'
        for line, i in zip(lines, items, strict=True)
    )
    html = _page(language, f"<h1>{escape(subject)}</h1><ul>{listed}</ul>{foot_html}")
    return Mail(subject, text, html)
