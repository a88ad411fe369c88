"""The command line's help and Click's own words in the command's language.

The help of every command, group and option (their docstrings and `help=` texts) and what Click and
Typer print themselves ("Usage:", "Options", "Missing argument", "No such option") are catalog keys of
the `cli` area. They are translated as a command starts, in the language the environment names
(`STOCKTAKE_LANGUAGE`, else the POSIX locale): `SpokenGroup`, the root command's class, translates the
whole tree before Click parses the arguments.

`stocktake.cli_texts.extract` is the catalogs' extractor for them (`locale/cli.cfg`): it reads the
help of the command tree itself, so that a new command's help reaches the catalogs without being
marked twice.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import typer._click.core
import typer._click.exceptions
import typer.core
import typer.rich_utils

from stocktake.core.translation import DEFAULT_LANGUAGE, catalog, command_language

CLICK_WORDS = (
    "Usage:",
    "Options",
    "Commands",
    "Arguments",
    "Error",
    "Aborted.",
    "Show this message and exit.",
    "[required]",
    "[default: {}]",
    "[env var: {}]",
    "(deprecated) ",
    "Try [blue]'{command_path} {help_option}'[/] for help.",
    "No such command {name!r}.",
)
"""What Typer prints of its own that a person reads, as its `gettext` keys."""

_TYPER_MODULES: tuple[ModuleType, ...] = (typer.core, typer.rich_utils)
"""Typer's modules that look their words up with `gettext` by the name `_`."""

_RICH_CONSTANTS = (
    "DEPRECATED_STRING",
    "DEFAULT_STRING",
    "ENVVAR_STRING",
    "REQUIRED_LONG_STRING",
    "ARGUMENTS_PANEL_TITLE",
    "OPTIONS_PANEL_TITLE",
    "COMMANDS_PANEL_TITLE",
    "ERRORS_PANEL_TITLE",
    "ABORTED_TEXT",
    "RICH_HELP",
)
_ENGLISH = {name: getattr(typer.rich_utils, name) for name in _RICH_CONSTANTS}

REFUSALS = (
    (re.compile(r"Missing argument (?P<name>.+)\.", re.S), "Missing argument %(name)s."),
    (re.compile(r"Missing option (?P<name>.+)\.", re.S), "Missing option %(name)s."),
    (
        re.compile(r"No such option: (?P<option>\S+) \(Possible options: (?P<options>.+)\)", re.S),
        "No such option: %(option)s (possible options: %(options)s)",
    ),
    (re.compile(r"No such option: (?P<option>\S+)", re.S), "No such option: %(option)s"),
    (
        re.compile(r"Got unexpected extra argument\(s\) \((?P<arguments>.*)\)", re.S),
        "Got unexpected extra arguments (%(arguments)s)",
    ),
    (
        re.compile(r"Invalid value for (?P<name>.+?): (?P<reason>.*)", re.S),
        "Invalid value for %(name)s: %(reason)s",
    ),
    (
        re.compile(r"Option (?P<name>'[^']+') requires (?P<what>.+)\.", re.S),
        "Option %(name)s requires %(what)s.",
    ),
    (
        re.compile(r"Option (?P<name>'[^']+') does not take a value\.", re.S),
        "Option %(name)s does not take a value.",
    ),
)
"""What Typer's own copy of Click says when a command line is wrong, which it does not look up in
a catalog: each message, recognised by its pattern, and its catalog key."""


def _language() -> str:
    return command_language(os.environ)[0]


def _gettext(message: str) -> str:
    language = _language()
    return message if language == DEFAULT_LANGUAGE else catalog(language).gettext(message)


def refusal(message: str) -> str:
    """What Typer's Click says is wrong with a command line, in the command line's language."""
    for pattern, key in REFUSALS:
        found = pattern.fullmatch(message)
        if found:
            translated = _gettext(key)
            try:
                return translated % found.groupdict()
            except (KeyError, ValueError, TypeError):
                return message
    return message


def _usage(command: Any, ctx: Any) -> str:
    english = _ORIGINAL_USAGE(command, ctx)
    if english.startswith("Usage: "):
        return _gettext("Usage:") + " " + english.removeprefix("Usage: ")
    return english


def _message(self: Any) -> str:
    return refusal(_ORIGINAL_MESSAGE(self))


def _help_option(command: Any, ctx: Any) -> Any:
    option = _ORIGINAL_HELP_OPTION(command, ctx)
    if option is not None and option.help:
        option.help = _gettext(option.help)
    return option


def _option_type(option: Any, ctx: Any) -> str | None:
    """A flag takes no value, so its help names none (Typer would write `--strict <bool>`)."""
    if option.is_flag:
        return None
    return _ORIGINAL_OPTION_TYPE(option, ctx)


_ORIGINAL_USAGE = typer._click.core.Command.get_usage
_ORIGINAL_OPTION_TYPE = typer.core.TyperOption.display_type_rich
_ORIGINAL_HELP_OPTION = typer._click.core.Command.get_help_option
_ORIGINAL_MESSAGE = typer._click.exceptions.UsageError.format_message


@functools.cache
def _speak_through_typer() -> None:
    """From now on Typer's words are looked up in the command line's language: the name `_`
    in its modules, the usage line's prefix and its refusals of a wrong command line."""
    for module in _TYPER_MODULES:
        module._ = _gettext  # type: ignore[attr-defined]
    typer._click.core.Command.get_usage = _usage  # type: ignore[method-assign,assignment]
    typer._click.core.Command.get_help_option = _help_option  # type: ignore[method-assign,assignment]
    typer.core.TyperOption.display_type_rich = _option_type  # type: ignore[method-assign,assignment]
    for refusal_class in (
        typer._click.exceptions.UsageError,
        typer._click.exceptions.BadParameter,
        typer._click.exceptions.MissingParameter,
        typer._click.exceptions.NoSuchOption,
    ):
        if "format_message" in vars(refusal_class):
            original = vars(refusal_class)["format_message"]
            refusal_class.format_message = _refusing(original)  # type: ignore[method-assign]
        elif refusal_class is typer._click.exceptions.UsageError:
            refusal_class.format_message = _message  # type: ignore[method-assign]


def _refusing(original: Any) -> Any:
    @functools.wraps(original)
    def format_message(self: Any) -> str:
        return refusal(original(self))

    return format_message


def _commands(command: typer._click.core.Command) -> Iterator[typer._click.core.Command]:
    yield command
    if hasattr(command, "commands"):
        for sub in command.commands.values():
            yield from _commands(sub)


def help_texts(command: typer._click.core.Command) -> Iterator[str]:
    """Every help text of a command tree: each command's and group's help and each option's."""
    for each in _commands(command):
        if each.help:
            yield each.help
        if each.short_help:
            yield each.short_help
        for parameter in each.params:
            text = getattr(parameter, "help", None)
            if text:
                yield text


def translate_tree(command: typer._click.core.Command) -> None:
    """The help of the whole tree in the command line's language (Click builds a new tree for
    each run, so this changes no other run's)."""
    if _language() == DEFAULT_LANGUAGE:
        return
    for each in _commands(command):
        if each.help:
            each.help = _gettext(each.help)
        if each.short_help:
            each.short_help = _gettext(each.short_help)
        for parameter in each.params:
            text = getattr(parameter, "help", None)
            if text:
                parameter.help = _gettext(text)  # type: ignore[attr-defined]


class SpokenGroup(typer.core.TyperGroup):
    """The root command: its help, its commands' and Click's own words in the command line's
    language."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _speak_through_typer()
        for name in _RICH_CONSTANTS:
            setattr(typer.rich_utils, name, _gettext(_ENGLISH[name]))
        translate_tree(self)
        return super().main(*args, **kwargs)
