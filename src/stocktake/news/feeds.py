"""The Atom feed of a process's published news (RFC 4287), written with lxml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lxml import etree

from stocktake.news.models import NewsItem
from stocktake.process.models import Process

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_SIZE = 50
"""How many of the newest items the feed holds."""


def _when(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _absolute(base: str, href: str) -> str:
    return href if "://" in href else base.rstrip("/") + href


def _sub(
    parent: etree._Element, name: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def atom_feed(process: Process, items: Sequence[NewsItem], *, base: str, language: str) -> bytes:
    """The feed: each item in `language` where it has a translation, else in its own; every
    address absolute under `base` (the site's root URL)."""
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    feed.set(XML_LANG, language)
    _sub(feed, "id", _absolute(base, "/news.atom"))
    _sub(feed, "title", f"{process.short_name}: news")
    _sub(feed, "subtitle", process.name)
    updated = max((i.updated_at for i in items), default=process.updated_at)
    _sub(feed, "updated", _when(updated))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=_absolute(base, "/news.atom"))
    _sub(feed, "link", rel="alternate", type="text/html", href=_absolute(base, "/news"))
    author = _sub(feed, "author")
    _sub(author, "name", f"{process.short_name} secretariat")
    _sub(feed, "generator", "stocktake")
    for item in items:
        title, body, written_in = item.text_in(language)
        entry = _sub(feed, "entry")
        entry.set(XML_LANG, written_in)
        _sub(entry, "id", _absolute(base, f"/news/{item.id}"))
        _sub(entry, "title", title, type="text")
        _sub(entry, "updated", _when(item.updated_at))
        if item.published_at is not None:
            _sub(entry, "published", _when(item.published_at))
        _sub(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=_absolute(base, f"/news/{item.id}"),
        )
        for link in item.links:
            _sub(
                entry,
                "link",
                rel="related",
                href=_absolute(base, link["href"]),
                title=link.get("label", ""),
            )
        _sub(entry, "summary", body.split("\n\n", 1)[0], type="text")
        _sub(entry, "content", body, type="text")
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="utf-8"))
