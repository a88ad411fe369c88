from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from stocktake.core.commands import open_session, reports_errors, settings
from stocktake.core.permissions import Permission, Principal
from stocktake.news.services import get_news, news_page, publish_news, withdraw_news
from stocktake.process.services import get_process

out = Console(soft_wrap=True)
news = typer.Typer(help="News of each step of the process.", no_args_is_help=True)
SYSTEM = Principal.system()


@news.command("list")
@reports_errors
def list_news(
    status: str = typer.Option("", help="Only items of this status: draft, published or withdrawn"),
    page: int = typer.Option(1, min=1, help="Page of 50 items, newest first"),
) -> None:
    """The process's news items, newest first, with their status."""
    with open_session() as session:
        process = get_process(session, settings().process)
        result = news_page(
            session, process, by=SYSTEM, page=page, page_size=50, status=status or None
        )
        table = Table(title=f"News, page {result.page} of {result.pages}", title_justify="left")
        for column in ("Id", "Status", "Published", "Title"):
            table.add_column(column)
        for item in result.items:
            waiting = " (waits)" if item.waits else ""
            when = f"{item.published_at:%Y-%m-%d}" if item.published_at else ""
            table.add_row(str(item.id), item.status + waiting, when, item.title)
    out.print(table)


@news.command("publish")
@reports_errors
def publish(news_id: int = typer.Argument(..., help="The item's id")) -> None:
    """Publish a news item (refused while it links to a page the public cannot read)."""
    with open_session() as session:
        process = get_process(session, settings().process)
        item = get_news(session, process, news_id, by=SYSTEM, acting=Permission.NEWS_MANAGE)
        publish_news(session, item, by=SYSTEM)
        out.print(f"Published: {item.title}", highlight=False)


@news.command("withdraw")
@reports_errors
def withdraw(news_id: int = typer.Argument(..., help="The item's id")) -> None:
    """Take a news item off the public pages and the feed."""
    with open_session() as session:
        process = get_process(session, settings().process)
        item = get_news(session, process, news_id, by=SYSTEM, acting=Permission.NEWS_MANAGE)
        withdraw_news(session, item, by=SYSTEM)
        out.print(f"Withdrawn: {item.title}", highlight=False)
