"""Generate docs/cli.md and docs/api.md from the code; tests fail when the files drift.

Run `make docs` (python -m stocktake.refdocs) after changing a command or an endpoint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from stocktake.web.paging import MAX_PER_PAGE

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _commands(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    if hasattr(command, "commands"):
        for name in sorted(command.commands):
            found += _commands(command.commands[name], [*path, name])
    return found


def cli_reference() -> str:
    from stocktake.cli import app

    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the code by `make docs`; do not edit by hand.",
        "",
        "The commands print their messages in the language the environment names:"
        " `STOCKTAKE_LANGUAGE`, else the POSIX locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else"
        " English ([languages](languages.md#the-command-line)). The help texts below, and `--help`,"
        " are in English.",
        "",
    ]
    for path, command in _commands(root, ["stocktake"]):
        ctx = command.context_class(command, info_name=" ".join(path))
        lines += [f"## `{' '.join(path)}`", ""]
        if command.help:
            lines += [command.help.strip(), ""]
        lines += ["```", command.get_usage(ctx).replace("Usage: ", ""), "```", ""]
        params = [p for p in command.get_params(ctx) if p.name != "help"]
        if hasattr(command, "commands"):
            lines += [
                f"- `{name}`: {(sub.help or '').strip().splitlines()[0]}"
                for name, sub in sorted(command.commands.items())
            ]
            lines.append("")
        elif params:
            lines += ["| argument or option | meaning |", "|---|---|"]
            for param in params:
                record = param.get_help_record(ctx)
                if param.param_type_name == "argument":
                    name, meaning = (
                        f"`{(param.name or '').upper()}`",
                        getattr(param, "help", "") or "",
                    )
                elif record:
                    name, meaning = f"`{record[0]}`", record[1]
                else:
                    continue
                lines.append(f"| {name} | {meaning.replace('|', '/')} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def api_reference(schema: dict[str, Any]) -> str:
    lines = [
        "# JSON API reference",
        "",
        "Generated from the OpenAPI document (`/api/v1/openapi.json`) by `make docs`; do not edit by hand.",
        "Interactive documentation is served at `/api/docs`. Send `Authorization: Bearer <token>`;",
        "without it a request acts as the public.",
        "",
        "Lists (inputs, actors, meeting registrations, the audit log) come a page at a time: `page` from 1,",
        f"`per_page` up to {MAX_PER_PAGE}; the answer carries `items`, `total`, `page`, `pages`, `per_page` and",
        "`next`, the URL of the following page (null on the last). An unknown filter value is a 422 that",
        "names the parameter and its allowed values.",
        "",
        'Errors answer `{"detail": ...}` (and `problems`, each with `where` and `message`, for a 422):',
        "401 an unknown, expired or revoked token; 403 a role that may not; 404 what does not exist or",
        "is not the caller's to see; 409 a conflict with the state of things, among them a change",
        "someone else made at the same moment (nothing is saved; read again and retry); 413 a body over",
        "its limit; 422 what is not accepted, naming the field; 429 too many failed sign-ins and 503",
        "a busy server, both with `Retry-After`.",
        "",
        "| method | path | what it does | tag |",
        "|---|---|---|---|",
    ]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            tags = ", ".join(operation.get("tags", []))
            lines.append(
                f"| {method.upper()} | `{path}` | {operation.get('summary', '')} | {tags} |"
            )
    return "\n".join(lines) + "\n"


def openapi_schema() -> dict[str, Any]:
    from stocktake.app import create_app
    from stocktake.config import get_settings

    app = create_app(get_settings(database_url="sqlite://"))
    return app.openapi()


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    (DOCS / "cli.md").write_text(cli_reference(), encoding="utf-8")
    (DOCS / "api.md").write_text(api_reference(openapi_schema()), encoding="utf-8")


if __name__ == "__main__":
    main()
