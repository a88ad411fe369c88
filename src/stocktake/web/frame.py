"""The parts of every page's frame that depend only on the language, on what the reader may see and
on where they are: the main navigation and the language switch.

They are the same on most requests (one nav per language, role and section), so the nav is built
once per such key and kept; the switch, whose links carry the page's own address, is built in
plain Python. Rendered through the template, the two took about 1,300 Python calls of every page
(a message looked up, escaped and formatted for each link)."""

from __future__ import annotations

from functools import lru_cache

from jinja2.utils import url_quote
from markupsafe import Markup

from stocktake.core.permissions import Permission, Principal
from stocktake.core.translation import translatable, translated
from stocktake.web.languages import ENDONYMS

NAV: tuple[tuple[str, str, bool, Permission | None], ...] = (
    # (address, label, current only on the address itself, shown only with this permission)
    ("/", translatable("Overview"), True, None),
    ("/meetings", translatable("Meetings"), False, None),
    ("/news", translatable("News"), False, None),
    ("/inputs", translatable("Inputs"), False, None),
    ("/actors", translatable("Actors"), False, None),
    ("/analysis", translatable("Analysis"), False, Permission.ANALYSIS_READ),
    ("/summary", translatable("Summary"), False, Permission.SUMMARY_READ_PUBLISHED),
    ("/drafts", translatable("Negotiation"), False, Permission.DRAFTS_READ_PUBLISHED),
    ("/review", translatable("Review"), False, None),
    ("/mine", translatable("Our items"), True, None),  # for those who act for an actor
    ("/users", translatable("Users"), False, Permission.USERS_MANAGE),
    ("/jobs", translatable("Jobs"), False, Permission.JOBS_READ),
    ("/audit", translatable("Audit log"), False, Permission.AUDIT_READ),
)
MINE = "/mine"
API, MAIN, LANGUAGE = translatable("API"), translatable("Main"), translatable("Language")
CURRENT, CHOSEN = Markup(' aria-current="page"'), Markup(' aria-current="true"')
ITEM = Markup('<li><a href="{}"{}>{}</a></li>')
NAV_HTML = Markup('<nav aria-label="{}">\n      <ul>\n        {}\n      </ul>\n    </nav>')
_SHOWN_BY = tuple(permission for _, _, _, permission in NAV if permission is not None)


def site_nav(principal: Principal, path: str, language: str) -> Markup:
    """The main navigation for this reader on this page, in `language`."""
    shown = tuple(principal.can(permission) for permission in _SHOWN_BY)
    current = next(
        (
            address
            for address, _, exact, _ in NAV
            if (path == address if exact else path.startswith(address))
        ),
        "",
    )
    return _nav(language, shown, principal.actor_id is not None, current)


@lru_cache(maxsize=1024)
def _nav(language: str, shown: tuple[bool, ...], acts: bool, current: str) -> Markup:
    allowed = dict(zip(_SHOWN_BY, shown, strict=True))
    items = []
    for address, label, _, permission in NAV:
        if (permission is not None and not allowed[permission]) or (address == MINE and not acts):
            continue
        mark = CURRENT if address == current else ""
        items.append(ITEM.format(address, mark, _said(label, language)))
    items.append(ITEM.format("/api/docs", "", _said(API, language)))
    return NAV_HTML.format(_said(MAIN, language), Markup("\n        ").join(items))


def language_switch(path: str, query: str, language: str) -> Markup:
    """The links to this page in each language of the site, the page's own marked. Built with
    plain strings (a `Markup.format` per link cost 60 calls): the address is percent-encoded, which
    leaves nothing to escape, and the languages' names are the site's own."""
    here = url_quote(path + ("?" + query if query else ""))
    items = "".join(
        f'\n      <li><a href="/language?lang={code}&amp;next={here}" lang="{code}" '
        f'hreflang="{code}"{CHOSEN if code == language else ""}>{endonym}</a></li>'
        for code, endonym in ENDONYMS.items()
    )
    label = _said(LANGUAGE, language)
    return Markup(  # noqa: S704 - nothing in it comes from the reader unencoded
        f'<nav class="wrap languages" aria-label="{label}">\n    <ul>{items}\n    </ul>\n  </nav>'
    )


def _said(message: str, language: str) -> Markup:
    """A message of the catalogs in `language`, as a template's `_()` gives it: the project's own
    translations are markup (an apostrophe stays one)."""
    return Markup(translated(message, language))  # noqa: S704 - the project's own catalogs
