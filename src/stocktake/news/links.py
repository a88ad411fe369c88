"""What a news item may link to: a page the public can read.

The news stands below the domains whose events it tells of (they call it when they act), so it
does not import their models: it knows the public addresses of the site and reads, by table and
column names, the one fact that makes each of them public (a summary's published version, a
draft's published revision, a meeting or review cycle of the process, a published news item).
An address it does not know is refused: whoever writes an item links only to pages it can vouch for,
or to another site (http or https)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from stocktake.core.errors import Problem
from stocktake.core.translation import Text

MAX_LINKS = 12
MAX_HREF = 500
MAX_LABEL = 200

_PUBLIC_LISTS = frozenset(
    {
        "/",
        "/news",
        "/news.atom",
        "/meetings",
        "/meetings.ics",
        "/summary",
        "/drafts",
        "/review",
        "/review/cycles",
        "/review/pledges",
        "/review/indicators",
        "/inputs",
        "/actors",
    }
)


def _exists(session: Session, name: str, where: Callable[[Any], Any], *cols: str) -> bool:
    t = table(name, *(column(c) for c in cols))
    return session.execute(select(t.c[cols[0]]).where(where(t)).limit(1)).first() is not None


def _summary(session: Session, process_id: int, key: str) -> bool:
    return _exists(
        session,
        "summary",
        lambda t: (
            (t.c.id == int(key))
            & (t.c.process_id == process_id)
            & t.c.published_version.is_not(None)
        ),
        "id",
        "process_id",
        "published_version",
    )


def _draft(session: Session, process_id: int, key: str) -> bool:
    return _exists(
        session,
        "draft",
        lambda t: (
            (t.c.id == int(key))
            & (t.c.process_id == process_id)
            & t.c.published_revision.is_not(None)
        ),
        "id",
        "process_id",
        "published_revision",
    )


def _meeting(session: Session, process_id: int, key: str) -> bool:
    slug = key.removesuffix(".ics")
    return _exists(
        session,
        "meeting",
        lambda t: (t.c.slug == slug) & (t.c.process_id == process_id),
        "slug",
        "process_id",
    )


def _cycle(session: Session, process_id: int, key: str) -> bool:
    return _exists(
        session,
        "review_cycle",
        lambda t: (t.c.slug == key) & (t.c.process_id == process_id),
        "slug",
        "process_id",
    )


def _news(session: Session, process_id: int, key: str) -> bool:
    return _exists(
        session,
        "news_item",
        lambda t: (
            (t.c.id == int(key)) & (t.c.process_id == process_id) & (t.c.status == "published")
        ),
        "id",
        "process_id",
        "status",
    )


_PAGES: tuple[tuple[re.Pattern[str], Callable[[Session, int, str], bool]], ...] = (
    (re.compile(r"/summary/(\d{1,9})"), _summary),
    (re.compile(r"/drafts/(\d{1,9})"), _draft),
    (re.compile(r"/meetings/([a-z0-9][a-z0-9-]{0,79}(?:\.ics)?)"), _meeting),
    (re.compile(r"/review/cycles/([A-Za-z0-9-]{1,80})"), _cycle),
    (re.compile(r"/news/(\d{1,9})"), _news),
)


def public_link(session: Session, process_id: int, href: str) -> bool:
    """Whether the public can read what `href` leads to, now (a malformed address: no)."""
    try:
        parts = urlsplit(href)
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        return False
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        if (parts.hostname or "").lower() not in _own_hosts():
            return True  # another site's page
        # this site's own address written in full: judged as the path it leads to
    elif parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return False
    path = parts.path.rstrip("/") or "/"
    if path in _PUBLIC_LISTS:
        return True
    for pattern, readable in _PAGES:
        if match := pattern.fullmatch(path):
            # a page's own address, never a variant of it (`?revision=2` of a revision not public)
            return not parts.query and readable(session, process_id, match.group(1))
    return False


@functools.cache
def _own_hosts() -> frozenset[str]:
    """The names this site answers to: its public address's, and the machine's own (read once:
    the settings come from the environment and a file)."""
    from stocktake.config import get_settings

    public = urlsplit(get_settings().public_url).hostname or ""
    return frozenset({public.lower(), "localhost", "127.0.0.1", "::1"} - {""})


def _malformed(href: str) -> bool:
    try:
        urlsplit(href).port  # noqa: B018 - raises on a bad host or a port out of range
    except ValueError:
        return True
    return False


def link_problems(session: Session, process_id: int, links: list[dict[str, str]]) -> list[Problem]:
    """Each link the public could not follow, named by its address."""
    problems: list[Problem] = []
    if len(links) > MAX_LINKS:
        problems.append(Problem("links", Text("at most %(num)s links", num=MAX_LINKS)))
    for number, link in enumerate(links, start=1):
        href, label = link.get("href", ""), link.get("label", "")
        where = f"links[{number}]"
        if not href or len(href) > MAX_HREF or any(c.isspace() for c in href) or _malformed(href):
            problems.append(Problem(where, Text("%(href)r is not an address", href=href[:80])))
        elif len(label) > MAX_LABEL:
            problems.append(
                Problem(
                    where,
                    Text("the label is longer than %(num)s characters", num=MAX_LABEL),
                )
            )
        elif not public_link(session, process_id, href):
            problems.append(
                Problem(
                    where,
                    Text(
                        "%(href)s leads to a page the public cannot read: link it once it is "
                        "public",
                        href=href,
                    ),
                )
            )
    return problems
