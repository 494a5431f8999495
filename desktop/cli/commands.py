"""One way to declare a command of `hrcities`, and the one set of exit statuses.

A command module declares each command with `@command(...)`: its group (or none, for a command
of its own such as `sign`), its name, its help and description as message ids, its arguments.
The parser is built from these declarations when the command line runs, after the language is
known, so every help text is in the person's language. Declaring is cheap: command modules
import their heavy parts (cryptography, pyHanko, Qt) inside the command, when it runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Literal

from i18n.translate import _


class Exit(IntEnum):
    """How `hrcities` ends; scripts rely on these numbers (README lists them)."""

    OK = 0
    FAILED = 1  # refused or failed, with a message saying what to do
    USAGE = 2  # the command line itself is wrong (argparse's own status)
    UNEXPECTED = 3  # something the program did not expect; the log has the details


@dataclass(frozen=True)
class Argument:
    """One argument of a command, as `argparse.add_argument` takes it; `help` is a message id."""

    names: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


def arg(*names: str, **options: Any) -> Argument:
    """An argument: `arg("--force", action="store_true", help=N_("..."))`."""
    return Argument(names, options)


Uses = Literal["store", "folder"]


@dataclass(frozen=True)
class Command:
    """A declared command: what it is called, what it says of itself, what it runs.

    `uses="store"`: `run(store, args)` gets the data folder's drafts store, opened and closed
    around it; `uses="folder"`: `run(data_dir, args)` gets the folder alone (the key commands,
    `verify`, which must create nothing).
    """

    group: str | None
    name: str
    help: str
    run: Callable[..., int]
    description: str | None = None
    arguments: tuple[Argument, ...] = ()
    uses: Uses = "store"


@dataclass(frozen=True)
class Group:
    """A group of commands (`drafts`, `keys`): its help and description as message ids."""

    name: str
    help: str
    description: str


GROUPS: dict[str, Group] = {}
COMMANDS: list[Command] = []


def group(name: str, help: str, description: str) -> None:
    """Declare a group of commands."""
    GROUPS[name] = Group(name, help, description)


def command(
    group: str | None,
    name: str,
    *,
    help: str,
    description: str | None = None,
    arguments: tuple[Argument, ...] = (),
    uses: Uses = "store",
) -> Callable[[Callable[..., int]], Callable[..., int]]:
    """Declare the function below as a command."""

    def register(run: Callable[..., int]) -> Callable[..., int]:
        COMMANDS.append(Command(group, name, help, run, description, arguments, uses))
        return run

    return register


def _translated(options: dict[str, Any]) -> dict[str, Any]:
    shown = dict(options)
    for key in ("help", "metavar"):
        if isinstance(shown.get(key), str) and shown[key] != argparse.SUPPRESS:
            shown[key] = _(shown[key])
    return shown


def add_declared(commands: argparse._SubParsersAction) -> None:
    """Add every declared group and command to the parser's subcommands, texts translated."""
    actions: dict[str, argparse._SubParsersAction] = {}
    for declared in COMMANDS:
        parent = commands
        if declared.group is not None:
            if declared.group not in actions:
                about = GROUPS[declared.group]
                sub = commands.add_parser(about.name, help=_(about.help))
                sub.description = _(about.description)
                actions[declared.group] = sub.add_subparsers(
                    dest="action", metavar=_("ACTION"), required=True
                )
            parent = actions[declared.group]
        parser = parent.add_parser(declared.name, help=_(declared.help))
        if declared.description:
            parser.description = _(declared.description)
        for argument in declared.arguments:
            parser.add_argument(*argument.names, **_translated(argument.options))
        parser.set_defaults(command_declared=declared)
