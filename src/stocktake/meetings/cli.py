from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.console import Console
from rich.table import Table

from stocktake.core.commands import _, open_session, reports_errors
from stocktake.core.permissions import Principal
from stocktake.meetings.services import Tally, get_meeting, participation_figures
from stocktake.meetings.services.changes import MeetingChanges, cancel_meeting, update_meeting
from stocktake.process.models import Process

out = Console(soft_wrap=True)
meetings = typer.Typer(help="Meetings and participation.", no_args_is_help=True)


def _table(title: str, tallies: dict[str, Tally], first: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    table.add_column(_("Actors"), justify="right")
    table.add_column(_("Participants"), justify="right")
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
        _(
            "%(organisations)s UN entities and other organisations; %(registered)s registered.",
            organisations=figures.organisations,
            registered=figures.registered,
        ),
        highlight=False,
    )
    out.print(_table(_("By kind of actor"), figures.by_kind, _("Kind")))
    out.print(_table(_("By region"), figures.by_region, _("Region")))
    out.print(_table(_("By regional group"), figures.by_regional_group, _("Regional group")))
    out.print(_table(_("By stakeholder category"), figures.by_category, _("Category")))


@meetings.command("change")
@reports_errors
def change(
    meeting: str = typer.Argument(..., help="The meeting's slug, e.g. stocktaking-2017"),
    start: str | None = typer.Option(None, help="New first day, YYYY-MM-DD"),
    end: str | None = typer.Option(None, help="New last day, YYYY-MM-DD"),
    city: str | None = typer.Option(None, help="New city"),
    country: str | None = typer.Option(None, help="New country, ISO 3166 alpha-3 code"),
) -> None:
    """Move a meeting's dates or place: its calendar event updates, the change is news, and the
    delegations registered for it are told (as each of their users chose to hear of it)."""
    import datetime as dt

    from stocktake.core.errors import Problem, ValidationFailed

    def day(value: str | None, name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            raise ValidationFailed(
                "meeting", [Problem(name, _("%(value)r is not YYYY-MM-DD", value=value))]
            ) from None

    wanted = MeetingChanges(
        start_date=day(start, "start"), end_date=day(end, "end"), city=city, country_iso3=country
    )
    with open_session() as session:
        found = get_meeting(session, meeting)
        process = session.get(Process, found.process_id)
        assert process is not None
        update_meeting(session, process, found, wanted, by=Principal.system())
        out.print(f"{found.title}: {found.dates}, {found.city or '—'}", highlight=False)


@meetings.command("cancel")
@reports_errors
def cancel(meeting: str = typer.Argument(..., help="The meeting's slug")) -> None:
    """Cancel a meeting: it stays listed and in the calendars, cancelled; its cancellation is news
    and the delegations registered for it are told."""
    with open_session() as session:
        found = get_meeting(session, meeting)
        process = session.get(Process, found.process_id)
        assert process is not None
        cancel_meeting(session, process, found, by=Principal.system())
        out.print(_("Cancelled: %(title)s", title=found.title), highlight=False)
