"""`stocktake drafts links …`: the thread's links from clusters to a draft's paragraphs."""

from __future__ import annotations

import typer
from rich.console import Console

from stocktake.core.commands import _, open_session, reports_errors, settings
from stocktake.core.permissions import Principal
from stocktake.negotiation.models import ThreadLink
from stocktake.negotiation.services import (
    confirm_link,
    get_draft,
    link_cluster,
    list_links,
    reject_link,
    suggest_links,
    unlink,
)
from stocktake.process.services import get_process

out = Console(soft_wrap=True)
links = typer.Typer(
    help="The thread: which clusters of the stocktaking fed which paragraph of a draft.",
    no_args_is_help=True,
)
SYSTEM = Principal.system()
DRAFT = typer.Argument(..., metavar="DRAFT", help="The draft's id")
LINK = typer.Argument(..., metavar="LINK", help="The link's id")
NOTE = typer.Option("", help="Why, kept with the link")


def _line(link: ThreadLink) -> str:
    if link.cluster_id is None:
        cluster = _(
            "run %(run)s cluster %(cluster)s (cluster removed)",
            run=link.run_id,
            cluster=link.cluster_number,
        )
    else:
        cluster = _("run %(run)s cluster %(cluster)s", run=link.run_id, cluster=link.cluster_number)
    score = f" {link.score:.2f}" if link.score is not None else ""
    inputs = _("%(num)s inputs", num=len(link.input_ids))
    return (
        f"{link.id}\t{link.eid}\t{cluster}\t"
        f"{link.state}\t{link.origin}{score}\t{inputs}\t{link.cluster_label}"
    )


@links.command("list")
@reports_errors
def list_all(
    draft_id: int = DRAFT,
    eid: str | None = typer.Option(None, help="One paragraph's links only"),
) -> None:
    """A draft's links, every state: id, paragraph, cluster, state, origin, inputs, label."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        for link in list_links(session, draft, eid=eid):
            out.print(_line(link), highlight=False)


@links.command("add")
@reports_errors
def add(
    draft_id: int = DRAFT,
    eid: str = typer.Argument(..., help="The paragraph's identity (e.g. para_12)"),
    cluster: int = typer.Argument(..., help="The cluster's number in the run"),
    run: int | None = typer.Option(None, help="The analysis run (default: the latest)"),
    note: str = NOTE,
) -> None:
    """Link a cluster to a paragraph by hand."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        link = link_cluster(session, process, draft, eid, cluster, run_id=run, note=note, by=SYSTEM)
        out.print(
            _(
                "Linked cluster %(cluster)s to %(paragraph)s (link %(link)s)",
                cluster=cluster,
                paragraph=eid,
                link=link.id,
            ),
            highlight=False,
        )


@links.command("suggest")
@reports_errors
def suggest(
    draft_id: int = DRAFT,
    run: int | None = typer.Option(None, help="The analysis run (default: the latest)"),
    vectors: str | None = typer.Option(
        None, help="multilingual or tfidf (default: the run's own setting)"
    ),
) -> None:
    """Suggest clusters by similarity for the paragraphs without a link."""
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        made = suggest_links(session, process, draft, run_id=run, backend=vectors, by=SYSTEM)
        for link in made:
            out.print(_line(link), highlight=False)
        out.print(_("%(num)s links suggested", num=len(made)))


def _decide(action: str, draft_id: int, link_id: int, note: str) -> None:
    act = {"confirm": confirm_link, "reject": reject_link, "remove": unlink}[action]
    with open_session() as session:
        process = get_process(session, settings().process)
        draft = get_draft(session, process, draft_id, by=SYSTEM)
        link = act(session, draft, link_id, note=note, by=SYSTEM)
        out.print(_("Link %(link)s is %(state)s", link=link.id, state=link.state), highlight=False)


@links.command("confirm")
@reports_errors
def confirm(draft_id: int = DRAFT, link_id: int = LINK, note: str = NOTE) -> None:
    """Confirm a suggested link."""
    _decide("confirm", draft_id, link_id, note)


@links.command("reject")
@reports_errors
def reject(draft_id: int = DRAFT, link_id: int = LINK, note: str = NOTE) -> None:
    """Reject a suggested link: it is not suggested again."""
    _decide("reject", draft_id, link_id, note)


@links.command("remove")
@reports_errors
def remove(draft_id: int = DRAFT, link_id: int = LINK, note: str = NOTE) -> None:
    """Remove a link: it stays, marked removed, with when it was removed."""
    _decide("remove", draft_id, link_id, note)
