"""`stocktake thread …`: the thread from the command line: a paragraph's or an objective's thread,
"where did our inputs go?" for an actor (as CSV, Word or HTML) and the coverage of a draft."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from stocktake.core.commands import _, number, open_session, reports_errors, settings
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.process.services import get_process
from stocktake.site.thread import (
    FORMATS,
    Thread,
    coverage,
    export_report,
    inputs_report,
    objective_thread,
    paragraph_thread,
)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
thread = typer.Typer(
    help="The thread: from every input to the commitment it shaped, and on to its follow-up.",
    no_args_is_help=True,
)
SYSTEM = Principal.system()


def _print(found: Thread) -> None:
    out.print(f"{found.title}: {found.number} {found.text}", highlight=False)
    for view in found.links:
        values = {
            "cluster": view.link.cluster_number,
            "label": view.link.cluster_label,
            "num": len(view.inputs),
        }
        if view.cluster_gone:
            line = _("cluster %(cluster)s (cluster removed): %(label)s (%(num)s inputs)", **values)
        else:
            line = _("cluster %(cluster)s: %(label)s (%(num)s inputs)", **values)
        out.print("  " + line, highlight=False)
    for name, count in found.by("region").items():
        out.print("  " + _("region %(region)s: %(num)s", region=name, num=count), highlight=False)
    for step in found.steps:
        if step.amendments:
            line = _(
                "%(revision)s: %(change)s by %(amendments)s",
                revision=step.revision,
                change=step.change,
                amendments=", ".join(step.amendments),
            )
        else:
            line = f"{step.revision}: {step.change}"
        out.print("  " + line, highlight=False)
    for pledge in found.pledges:
        line = _(
            "pledge %(pledge)s: %(title)s (%(status)s)",
            pledge=pledge.id,
            title=pledge.title,
            status=pledge.status,
        )
        out.print("  " + line, highlight=False)


@thread.command("paragraph")
@reports_errors
def paragraph(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    eid: str = typer.Argument(..., help="The paragraph's identity (e.g. para_12)"),
) -> None:
    """The thread of a paragraph: its clusters and inputs, its changes, its follow-up."""
    with open_session() as session:
        process = get_process(session, settings().process)
        _print(paragraph_thread(session, process, draft_id, eid, by=SYSTEM))


@thread.command("objective")
@reports_errors
def objective(number: int = typer.Argument(..., help="The objective's number")) -> None:
    """The thread of an objective, through the text it stands in."""
    with open_session() as session:
        process = get_process(session, settings().process)
        _print(objective_thread(session, process, number, by=SYSTEM))


@thread.command("inputs")
@reports_errors
def inputs(
    code: str = typer.Argument(..., help="The actor's code"),
    file_format: str = typer.Option("csv", "--format", help="csv, docx or html"),
    output: Path | None = typer.Option(None, "--output", "-o", help="default: standard output"),
) -> None:
    """Where did an actor's inputs go: each input with what became of it."""
    if file_format not in FORMATS:
        raise ValidationFailed(
            "--format",
            [
                Problem(
                    "format",
                    _(
                        "is one of %(formats)s, not %(format)s",
                        formats=", ".join(FORMATS),
                        format=repr(file_format),
                    ),
                )
            ],
        )
    with open_session() as session:
        process = get_process(session, settings().process)
        body, _media_type, _name = export_report(
            inputs_report(session, process, code, by=SYSTEM), file_format
        )
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(body)
        err.print(_("Wrote %(file)s (%(size)s bytes).", file=output, size=number(len(body))))


@thread.command("coverage")
@reports_errors
def coverage_of(
    draft_id: int = typer.Argument(..., metavar="DRAFT"),
    adopted: bool = typer.Option(False, help="The adopted (final) text rather than the current"),
) -> None:
    """The share of clusters, actors and regions a draft reflects, and the gaps."""
    with open_session() as session:
        process = get_process(session, settings().process)
        result = coverage(session, process, draft_id, adopted=adopted, by=SYSTEM)
    out.print(result.title, highlight=False)
    names = {"clusters": _("clusters"), "actors": _("actors"), "inputs": _("inputs")}
    for share in (result.clusters, result.actors, result.inputs):
        out.print(
            _(
                "%(name)s: %(reflected)s of %(total)s (%(percent)s%%)",
                name=names.get(share.name, share.name),
                reflected=share.reflected,
                total=share.total,
                percent=share.percent,
            )
        )
    kinds = {
        "region": _("region"),
        "regional group": _("regional group"),
        "stakeholder category": _("stakeholder category"),
    }
    for kind, share in result.gaps:
        out.print(
            _(
                "gap: %(kind)s %(name)s: %(reflected)s of %(total)s (%(percent)s%%)",
                kind=kinds.get(kind, kind),
                name=share.name,
                reflected=share.reflected,
                total=share.total,
                percent=share.percent,
            ),
            highlight=False,
        )
