from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table

from stocktake.core.commands import open_session, reports_errors
from stocktake.core.permissions import Principal
from stocktake.meetings.services import Tally, get_meeting, participation_figures
from stocktake.meetings.services.changes import cancel_meeting
from stocktake.process.models import Process

out = Console(soft_wrap=True)
meetings = typer.Typer(help="Meetings and participation.", no_args_is_help=True)


def _table(title: str, tallies: dict[str, Tally], first: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    table.add_column("Actors", justify="right")
    table.add_column("Participants", justify="right")
    for key, tally in tallies.items():
        table.add_row(key, str(tally.actors), str(tally.participants))
    return table


@meetings.command("stats")
@reports_errors
def stats(
    meeting: str = typer.Argument(..., help="The meeting's slug, e.g. stocktaking-2017"),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON"),
) -> None:
    """Participation figures of a meeting (delegations, participants, stakeholders).

    Broken down by kind of actor, region, regional group and stakeholder category."""
    with open_session() as session:
        found = get_meeting(session, meeting)
        figures = participation_figures(session, found)
        title = found.title
        dates = found.dates
    if as_json:
        out.print_json(json.dumps(asdict(figures)))
        return
    out.print(f"[bold]{title}[/] ({dates})")
    out.print(figures.headline(), highlight=False)
    out.print(
        f"{figures.organisations} UN entities and other organisations; {figures.registered} registered.",
        highlight=False,
    )
    out.print(_table("By kind of actor", figures.by_kind, "Kind"))
    out.print(_table("By region", figures.by_region, "Region"))
    out.print(_table("By regional group", figures.by_regional_group, "Regional group"))
    out.print(_table("By stakeholder category", figures.by_category, "Category"))


@meetings.command("cancel")
@reports_errors
def cancel(meeting: str = typer.Argument(..., help="The meeting's slug")) -> None:
    """Cancel a meeting: it stays listed and in the calendars, cancelled, and its cancellation is
    news."""
    with open_session() as session:
        found = get_meeting(session, meeting)
        process = session.get(Process, found.process_id)
        assert process is not None
        cancel_meeting(session, process, found, by=Principal.system())
        out.print(f"Cancelled: {found.title}", highlight=False)
