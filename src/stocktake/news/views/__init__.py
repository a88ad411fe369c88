"""The news pages: the list and each item for everyone, the Atom feed, and the secretariat's
forms to write, edit, publish and withdraw items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stocktake.core.errors import Problem, ValidationFailed, problem_shown
from stocktake.core.permissions import Permission, Principal, require
from stocktake.news.feeds import FEED_SIZE, atom_feed
from stocktake.news.models import NewsItem
from stocktake.news.services import (
    NewsData,
    edit_news,
    get_news,
    news_page,
    process_language,
    publish_news,
    withdraw_news,
    write_news,
)
from stocktake.process.deps import CurrentProcess
from stocktake.process.models import Process
from stocktake.web.deps import AppSettings, CheckCsrf, DbSession, PagePrincipal
from stocktake.web.flash import flash
from stocktake.web.languages import LANGUAGES, request_language
from stocktake.web.templating import render

router = APIRouter(include_in_schema=False)

ATOM_TYPE = "application/atom+xml; charset=utf-8"


@router.get("/news")
def news(
    request: Request,
    session: DbSession,
    process: CurrentProcess,
    settings: AppSettings,
    by: PagePrincipal,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    result = news_page(session, process, by=by, page=page, page_size=settings.page_size)
    language = request_language(request)
    return render(
        request,
        "news/list.html",
        by,
        process=process,
        result=result,
        shown=[(item, *item.text_in(language)) for item in result.items],
    )


@router.get("/news.atom")
def news_feed(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    # the public's feed, whoever asks: a feed reader shares what it reads
    result = news_page(session, process, by=Principal.public(), page_size=FEED_SIZE)
    body = atom_feed(
        process, result.items, base=str(request.base_url), language=request_language(request)
    )
    return Response(body, media_type=ATOM_TYPE)


def _form(
    request: Request,
    by: Principal,
    process: Process,
    item: NewsItem | None,
    values: dict[str, object],
    *,
    problems: Sequence[Problem] = (),
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "news/edit.html",
        by,
        status_code=status_code,
        process=process,
        item=item,
        values=values,
        languages=LANGUAGES,
        problems=problems or [],
    )


def _values(item: NewsItem | None, process: Process) -> dict[str, object]:
    if item is None:
        return {
            "language": process_language(process),
            "title": "",
            "body": "",
            "links": "",
            "translations": {},
        }
    return {
        "language": item.language,
        "title": item.title,
        "body": item.body,
        "links": "\n".join(
            f"{link['href']} {link.get('label', '')}".strip() for link in item.links
        ),
        "translations": item.translations,
    }


def _links(text: str) -> list[dict[str, str]]:
    """One link a line: its address, then its label."""
    links = []
    for line in text.splitlines():
        href, _, label = line.strip().partition(" ")
        if href:
            links.append({"href": href, "label": label.strip()})
    return links


async def _data(request: Request) -> tuple[NewsData, dict[str, object]]:
    form = await request.form()

    def field(name: str) -> str:
        value = form.get(name, "")
        return value if isinstance(value, str) else ""

    language = field("language")
    translations = {
        other: {"title": field(f"title_{other}"), "body": field(f"body_{other}")}
        for other in LANGUAGES
        if other != language
    }
    data = NewsData(
        title=field("title"),
        body=field("body"),
        language=language,
        links=_links(field("links")),
        translations=translations,
    )
    values: dict[str, object] = {
        "language": language,
        "title": data.title,
        "body": data.body,
        "links": field("links"),
        "translations": translations,
        "publish": field("publish") == "yes",
    }
    return data, values


@router.get("/news/new")
def new_item(request: Request, process: CurrentProcess, by: PagePrincipal) -> Response:
    require(by, Permission.NEWS_MANAGE)
    return _form(request, by, process, None, _values(None, process))


@router.post("/news", dependencies=[CheckCsrf])
async def post_item(
    request: Request, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    require(by, Permission.NEWS_MANAGE)
    data, values = await _data(request)
    try:
        item = write_news(session, process, data, publish=bool(values["publish"]), by=by)
    except ValidationFailed as exc:
        return _form(
            request,
            by,
            process,
            None,
            values,
            problems=exc.problems,
            status_code=422,
        )
    if item.status == "published":
        flash(request, "The news item is published.")
    else:
        flash(request, "The news item is saved as a draft.")
    return RedirectResponse(f"/news/{item.id}", status_code=303)


@router.get("/news/{news_id}")
def item_page(
    request: Request, news_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    item = get_news(session, process, news_id, by=by)
    title, body, language = item.text_in(request_language(request))
    return render(
        request,
        "news/item.html",
        by,
        process=process,
        item=item,
        title=title,
        paragraphs=[p for p in body.split("\n\n") if p.strip()],
        text_language=language,
    )


@router.get("/news/{news_id}/edit")
def edit_page(
    request: Request, news_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    item = get_news(session, process, news_id, by=by, acting=Permission.NEWS_MANAGE)
    return _form(request, by, process, item, _values(item, process))


@router.post("/news/{news_id}/edit", dependencies=[CheckCsrf])
async def post_edit(
    request: Request, news_id: int, session: DbSession, process: CurrentProcess, by: PagePrincipal
) -> Response:
    item = get_news(session, process, news_id, by=by, acting=Permission.NEWS_MANAGE)
    data, values = await _data(request)
    try:
        edit_news(session, item, data, by=by)
    except ValidationFailed as exc:
        return _form(
            request,
            by,
            process,
            item,
            values,
            problems=exc.problems,
            status_code=422,
        )
    flash(request, "The news item is saved.")
    return RedirectResponse(f"/news/{item.id}", status_code=303)


@router.post("/news/{news_id}/publish", dependencies=[CheckCsrf])
def post_publish(
    request: Request,
    news_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    item = get_news(session, process, news_id, by=by, acting=Permission.NEWS_MANAGE)
    try:
        publish_news(session, item, by=by)
    except ValidationFailed as exc:
        flash(
            request,
            "The news item was not published: %(problems)s",
            "error",
            values={
                "problems": "; ".join(
                    problem_shown(p, request_language(request), isolate=True) for p in exc.problems
                )
            },
        )
        return RedirectResponse(f"/news/{item.id}", status_code=303)
    flash(request, "The news item is published.")
    return RedirectResponse(f"/news/{item.id}", status_code=303)


@router.post("/news/{news_id}/withdraw", dependencies=[CheckCsrf])
def post_withdraw(
    request: Request,
    news_id: int,
    session: DbSession,
    process: CurrentProcess,
    by: PagePrincipal,
) -> Response:
    item = get_news(session, process, news_id, by=by, acting=Permission.NEWS_MANAGE)
    withdraw_news(session, item, by=by)
    flash(request, "The news item is withdrawn: the public no longer sees it.")
    return RedirectResponse(f"/news/{item.id}", status_code=303)
