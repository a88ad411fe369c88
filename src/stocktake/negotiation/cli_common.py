"""What the `stocktake drafts` commands share: the command group, its consoles, reading and writing
files, reading an amendment's name."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from stocktake.core.commands import _, number, settings
from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.permissions import Principal
from stocktake.negotiation.exports import ExportFile

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
drafts = typer.Typer(
    help="Negotiation drafts: import, amend, compile, revise, compare, export.",
    no_args_is_help=True,
)
SYSTEM = Principal.system()


def _read(file: Path) -> bytes:
    limit = settings().max_upload_bytes
    try:
        size = file.stat().st_size
        if size > limit:
            raise ValidationFailed(
                str(file),
                [
                    Problem(
                        "",
                        _(
                            "the file is %(size)s bytes; the limit is %(limit)s",
                            size=number(size),
                            limit=number(limit),
                        ),
                    )
                ],
            )
        return file.read_bytes()
    except OSError as exc:
        raise ValidationFailed(
            str(file), [Problem("", _("cannot read: %(reason)s", reason=exc.strerror))]
        ) from exc


def _write(export: ExportFile, output: Path | None) -> None:
    if output is None and export.content[:2] == b"PK" and sys.stdout.isatty():
        # a Word document is a zip archive: on a terminal it is noise, and can upset the terminal
        raise ValidationFailed(
            "--out",
            [
                Problem(
                    "--out",
                    _("a Word document is not written to the terminal: name a file with --out"),
                )
            ],
        )
    if output is None:
        sys.stdout.buffer.write(export.content)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(export.content)
    err.print(_("Wrote %(file)s (%(size)s bytes).", file=output, size=number(len(export.content))))


def _amendment_number(value: str) -> int:
    digits = value.strip().upper().removeprefix("A")
    if not digits.isdigit():
        raise ValidationFailed(
            "amendment", [Problem("amendment", _("%(value)s is not like A3", value=repr(value)))]
        )
    return int(digits)
