"""News items: drafted from the process's public events (in the action's own transaction),
written, edited, published and withdrawn by the secretariat, and read by everyone."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.audit.events import AuditAction
from stocktake.audit.services import record_event
from stocktake.core.db import transaction, utcnow
from stocktake.core.errors import Conflict, NotFound, Problem, ValidationFailed
from stocktake.core.pages import ResultPage
from stocktake.core.permissions import Permission, Principal, require
from stocktake.core.translation import LANGUAGES, Counted, Text
from stocktake.news.drafting import Texts
from stocktake.news.links import link_problems
from stocktake.news.models import NewsItem, NewsStatus
from stocktake.process.models import Process

MAX_TITLE = 300
MAX_BODY = 20_000


def holds_news(process: Process) -> bool:
    """Whether the process's definition holds drafted items for the secretariat's review."""
    return process.read_definition().news.hold_for_review


def process_language(process: Process) -> str:
    """The process's default language: the one its items are drafted in."""
    return process.read_definition().process.language


def draft_news(
    session: Session,
    process: Process,
    *,
    origin: str,
    source: str,
    texts: Texts,
    links: list[dict[str, str]],
    public: bool = True,
    by: Principal,
) -> NewsItem:
    """An item drafted from an event, added to the transaction of the action that made the event:
    in the process's language, the other languages as its translations. It is published at once
    unless the process holds drafted items for review, or the event is not public yet (`public`
    false, or a link the public cannot follow): then it waits, and `release_news` publishes it
    when the event becomes public."""
    language = process_language(process)
    language = language if language in texts else "en"
    title, body = texts[language]
    waits = not public or bool(link_problems(session, process.id, links))
    published = not waits and not holds_news(process)
    item = NewsItem(
        process_id=process.id,
        status=(NewsStatus.PUBLISHED if published else NewsStatus.DRAFT).value,
        origin=origin,
        source=source,
        waits=waits,
        language=language,
        title=title[:MAX_TITLE],
        body=body,
        links=links,
        translations={
            other: {"title": t[:MAX_TITLE], "body": b}
            for other, (t, b) in texts.items()
            if other != language
        },
        published_at=utcnow() if published else None,
        written_by=by.label,
    )
    session.add(item)
    session.flush()
    record_event(
        session,
        by=by,
        action=AuditAction.NEWS_DRAFTED,
        target_type="news",
        target_key=item.id,
        summary=f"{item.title} ({item.status}{', waiting' if waits else ''})",
    )
    return item


def release_news(session: Session, process: Process, source: str, *, by: Principal) -> int:
    """Publish the items that waited for `source` to become public, in the caller's transaction
    (held for review instead when the process says so). How many were published."""
    waiting = session.scalars(
        select(NewsItem).where(
            NewsItem.process_id == process.id,
            NewsItem.source == source,
            NewsItem.waits.is_(True),
            NewsItem.status == NewsStatus.DRAFT.value,
        )
    ).all()
    published = 0
    for item in waiting:
        item.waits = False
        if holds_news(process) or link_problems(session, process.id, item.links):
            continue
        item.status = NewsStatus.PUBLISHED.value
        item.published_at = utcnow()
        published += 1
        record_event(
            session,
            by=by,
            action=AuditAction.NEWS_PUBLISHED,
            target_type="news",
            target_key=item.id,
            summary=item.title,
        )
    session.flush()
    return published


# ----------------------------------------------------------------- the secretariat's actions


@dataclass
class NewsData:
    """What the secretariat writes: the title and body in the item's language, the links, and
    the translations ({"fr": {"title": …, "body": …}}); a field left None is left as it is."""

    title: str | None = None
    body: str | None = None
    language: str | None = None
    links: list[dict[str, str]] | None = None
    translations: dict[str, dict[str, str]] | None = field(default=None)


def _checked(data: NewsData, *, new: bool) -> list[Problem]:
    problems: list[Problem] = []
    if data.title is not None or new:
        title = (data.title or "").strip()
        if not title:
            problems.append(Problem("title", Text("is empty")))
        elif len(title) > MAX_TITLE:
            problems.append(
                Problem("title", Text("is longer than %(num)s characters", num=MAX_TITLE))
            )
    if data.body is not None and len(data.body) > MAX_BODY:
        problems.append(
            Problem("body", Text("is longer than %(num)s characters", num=Counted(MAX_BODY)))
        )
    if data.language is not None and data.language not in LANGUAGES:
        problems.append(
            Problem(
                "language",
                Text(
                    "%(language)r is not one of %(languages)s",
                    language=data.language[:20],
                    languages=", ".join(LANGUAGES),
                ),
            )
        )
    for language, text in (data.translations or {}).items():
        where = f"translations.{language[:20]}"
        if language not in LANGUAGES:
            problems.append(Problem(where, Text("is not one of the six languages")))
        elif not isinstance(text, dict) or set(text) - {"title", "body"}:
            problems.append(Problem(where, Text("holds a title and a body only")))
        elif len(text.get("title", "")) > MAX_TITLE or len(text.get("body", "")) > MAX_BODY:
            problems.append(Problem(where, Text("is too long")))
    return problems


def _apply(item: NewsItem, data: NewsData) -> dict[str, object]:
    changes: dict[str, object] = {}
    for name in ("title", "body", "language", "links"):
        value = getattr(data, name)
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
        if getattr(item, name) != value:
            changes[name] = True
            setattr(item, name, value)
    if data.translations is not None:
        kept = {
            language: {"title": t.get("title", "").strip(), "body": t.get("body", "").strip()}
            for language, t in data.translations.items()
            if t.get("title", "").strip()
        }
        if kept != item.translations:
            changes["translations"] = sorted(kept)
            item.translations = kept
    return changes


def _refuse_hidden_links(session: Session, item: NewsItem) -> None:
    if problems := link_problems(session, item.process_id, item.links):
        raise ValidationFailed("news item", problems)


def write_news(
    session: Session, process: Process, data: NewsData, *, publish: bool = False, by: Principal
) -> NewsItem:
    """An item the secretariat writes from scratch: kept as a draft, or published at once."""
    require(by, Permission.NEWS_MANAGE)
    if problems := _checked(data, new=True) + link_problems(session, process.id, data.links or []):
        raise ValidationFailed("news item", problems)
    item = NewsItem(
        process_id=process.id,
        status=NewsStatus.DRAFT.value,
        language=data.language or process_language(process),
        title="",
        links=[],
        translations={},
        written_by=by.label,
    )
    _apply(item, data)
    if publish:
        item.status = NewsStatus.PUBLISHED.value
        item.published_at = utcnow()
    with transaction(session):
        session.add(item)
        session.flush()
        record_event(
            session,
            by=by,
            action=AuditAction.NEWS_WRITTEN,
            target_type="news",
            target_key=item.id,
            summary=f"{item.title} ({item.status})",
        )
    return item


def edit_news(session: Session, item: NewsItem, data: NewsData, *, by: Principal) -> NewsItem:
    """Change an item's title, body, links or translations; a published item keeps only links the
    public can read."""
    require(by, Permission.NEWS_MANAGE)
    if problems := _checked(data, new=False):
        raise ValidationFailed("news item", problems)
    if data.links is not None and (problems := link_problems(session, item.process_id, data.links)):
        raise ValidationFailed("news item", problems)
    with transaction(session):
        changes = _apply(item, data)
        if not changes:
            return item
        record_event(
            session,
            by=by,
            action=AuditAction.NEWS_EDITED,
            target_type="news",
            target_key=item.id,
            summary=item.title,
            changes=changes,
        )
    return item


def publish_news(session: Session, item: NewsItem, *, by: Principal) -> NewsItem:
    """Make an item public, refused while it links to a page the public cannot read."""
    require(by, Permission.NEWS_MANAGE)
    _refuse_hidden_links(session, item)
    if item.status == NewsStatus.PUBLISHED.value:
        return item
    if item.waits:
        # what it tells of (an issued revision, say) is not public: it would tell the public first
        raise Conflict(
            Text(
                "news item %(item)s tells of a step that is not public yet: it is published when "
                "that is",
                item=item.id,
            )
        )
    with transaction(session):
        item.status = NewsStatus.PUBLISHED.value
        item.waits = False
        item.published_at = item.published_at or utcnow()
        record_event(
            session,
            by=by,
            action=AuditAction.NEWS_PUBLISHED,
            target_type="news",
            target_key=item.id,
            summary=item.title,
        )
    return item


def withdraw_news(session: Session, item: NewsItem, *, by: Principal) -> NewsItem:
    """Take an item off the public pages and feed; it can be published again."""
    require(by, Permission.NEWS_MANAGE)
    if item.status == NewsStatus.WITHDRAWN.value:
        return item
    with transaction(session):
        item.status = NewsStatus.WITHDRAWN.value
        item.waits = False
        record_event(
            session,
            by=by,
            action=AuditAction.NEWS_WITHDRAWN,
            target_type="news",
            target_key=item.id,
            summary=item.title,
        )
    return item


# ----------------------------------------------------------------- reading


def _sees_all(by: Principal) -> bool:
    return by.can(Permission.NEWS_MANAGE)


def news_page(
    session: Session,
    process: Process,
    *,
    by: Principal,
    page: int = 1,
    page_size: int = 20,
    status: str | None = None,
) -> ResultPage[NewsItem]:
    """The process's news, newest first: the published items for everyone; every item (or those
    of one status) for the secretariat."""
    require(by, Permission.PROCESS_READ)
    query = select(NewsItem).where(NewsItem.process_id == process.id)
    if not _sees_all(by):
        query = query.where(NewsItem.status == NewsStatus.PUBLISHED.value)
    elif status in {s.value for s in NewsStatus}:
        query = query.where(NewsItem.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = session.scalars(
        query.order_by(NewsItem.published_at.desc().nulls_first(), NewsItem.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return ResultPage(items=rows, total=total, page=page, page_size=page_size)


def get_news(
    session: Session,
    process: Process,
    item_id: int,
    *,
    by: Principal,
    acting: Permission | None = None,
) -> NewsItem:
    """One item its reader may see (published, unless the reader is the secretariat); `acting`
    is checked before the lookup."""
    if acting is not None:
        require(by, acting)
    require(by, Permission.PROCESS_READ)
    item = session.get(NewsItem, item_id)
    if (
        item is None
        or item.process_id != process.id
        or not (_sees_all(by) or item.status == NewsStatus.PUBLISHED.value)
    ):
        raise NotFound(Text("news item"), item_id)
    return item
