from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from stocktake.core.permissions import Permission
from stocktake.news.models import NewsItem
from stocktake.news.schemas import LinkIn, NewsIn, NewsOut, NewsPageOut, NewsPatch, TranslationIn
from stocktake.news.services import (
    NewsData,
    edit_news,
    get_news,
    news_page,
    publish_news,
    withdraw_news,
    write_news,
)
from stocktake.process.deps import CurrentProcess
from stocktake.web.deps import ApiPrincipal, AppSettings, DbSession
from stocktake.web.paging import Page, PerPage, next_page_link

router = APIRouter(tags=["news"])


def _out(item: NewsItem) -> NewsOut:
    return NewsOut(
        id=item.id,
        status=item.status,
        origin=item.origin,
        language=item.language,
        title=item.title,
        body=item.body,
        links=[LinkIn(href=link["href"], label=link.get("label", "")) for link in item.links],
        translations={
            language: TranslationIn(title=t.get("title", ""), body=t.get("body", ""))
            for language, t in (item.translations or {}).items()
        },
        published_at=item.published_at,
        updated_at=item.updated_at,
    )


@router.get(
    "/news",
    response_model=NewsPageOut,
    summary="The process's news, newest first: published items (every item for the secretariat)",
)
def read_news(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: ApiPrincipal,
    page: Page = 1,
    per_page: PerPage = None,
    status: Annotated[
        str | None,
        Query(
            pattern="^(draft|published|withdrawn)$",
            description="Secretariat: only items of this status",
        ),
    ] = None,
) -> NewsPageOut:
    size = per_page or settings.page_size
    result = news_page(session, process, by=by, page=page, page_size=size, status=status)
    return NewsPageOut(
        items=[_out(i) for i in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
        per_page=size,
        next=next_page_link(request, result.page, result.pages),
    )


@router.get("/news/{news_id}", response_model=NewsOut, summary="One news item")
def read_item(
    news_id: int, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> NewsOut:
    return _out(get_news(session, process, news_id, by=by))


def _data(body: NewsIn | NewsPatch) -> NewsData:
    return NewsData(
        title=body.title,
        body=body.body,
        language=body.language,
        links=None if body.links is None else [link.model_dump() for link in body.links],
        translations=None
        if body.translations is None
        else {k: v.model_dump() for k, v in body.translations.items()},
    )


@router.post(
    "/news",
    response_model=NewsOut,
    status_code=201,
    summary="Write a news item (secretariat); its links must lead to pages the public can read",
)
def post_item(
    body: NewsIn, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> NewsOut:
    return _out(write_news(session, process, _data(body), publish=body.publish, by=by))


@router.patch(
    "/news/{news_id}",
    response_model=NewsOut,
    summary="Edit a news item or its translations (secretariat)",
)
def patch_item(
    news_id: int, body: NewsPatch, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> NewsOut:
    item = get_news(session, process, news_id, by=by, acting=Permission.NEWS_MANAGE)
    return _out(edit_news(session, item, _data(body), by=by))


@router.post(
    "/news/{news_id}/publish", response_model=NewsOut, summary="Publish a news item (secretariat)"
)
def post_publish(
    news_id: int, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> NewsOut:
    item = get_news(session, process, news_id, by=by, acting=Permission.NEWS_MANAGE)
    return _out(publish_news(session, item, by=by))


@router.post(
    "/news/{news_id}/withdraw",
    response_model=NewsOut,
    summary="Withdraw a news item from the public (secretariat)",
)
def post_withdraw(
    news_id: int, session: DbSession, process: CurrentProcess, by: ApiPrincipal
) -> NewsOut:
    item = get_news(session, process, news_id, by=by, acting=Permission.NEWS_MANAGE)
    return _out(withdraw_news(session, item, by=by))
