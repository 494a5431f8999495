"""`hrcities`: the app with no arguments, and subcommands for what people and scripts do without it.

The command line is a thin layer over the same core functions the window calls. Every failure a
person can cause ends in a translated message saying what to do and a non-zero exit status, never
a traceback. The parser is built when the command runs, after the language is set, so its help
is in that language too.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs

# Each command module declares its commands when imported (desktop.cli.commands).
from desktop.cli import drafts, keys, sign, verify  # noqa: F401
from desktop.cli.argparse_texts import translate_argparse
from desktop.cli.commands import Command, Exit, add_declared
from desktop.cli.output import error, shown, warn
from desktop.core.logs import log_path, setup_logging
from desktop.core.store.drafts import DraftsStore
from desktop.version import __version__
from i18n.errors import UserError
from i18n.languages import system_language
from i18n.translate import _, set_language

DATA_DIR_VARIABLE = "HRCITIES_DATA_DIR"
log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    """Where drafts live: HRCITIES_DATA_DIR if set, else the platform's per-user data folder."""
    chosen = os.environ.get(DATA_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    return Path(platformdirs.user_data_dir("hrcities", appauthor=False))


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, texts in the current language."""
    parser = argparse.ArgumentParser(
        prog="hrcities",
        description=_(
            'Join the campaign "10, 100, 1000 Human Rights Cities and Territories by 2030". '
            "With no command, opens the app."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"hrcities {__version__}",
        help=_("show the version and exit"),
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=_("folder holding the drafts (default: {variable} or the user data folder)").format(
            variable=DATA_DIR_VARIABLE
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    add_declared(commands)
    return parser


def _run_declared(declared: Command, data_dir: Path, args: argparse.Namespace) -> int:
    """Run a command with what it uses: the data folder, or its drafts store opened for it."""
    if declared.uses == "folder":
        return declared.run(data_dir, args)
    store = DraftsStore.open(data_dir)
    try:
        if store.open_report.recovered:
            warn(store.open_report.message())
        return declared.run(store, args)
    finally:
        store.close()


def _quiet_stdout() -> None:
    """The reader of our output went away (`| head -1`): say nothing more, anywhere."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _run(args: argparse.Namespace, data_dir: Path) -> int:
    """Run the chosen command; every failure becomes a message and an exit status."""
    try:
        return _run_declared(args.command_declared, data_dir, args)
    except UserError as failure:
        error(failure)
        return Exit.FAILED
    except (KeyboardInterrupt, EOFError):
        warn(_("Stopped. Nothing more was done."))
        return Exit.FAILED
    except BrokenPipeError:
        _quiet_stdout()
        return Exit.OK
    except sqlite3.Error as failure:
        error(
            _(
                "the drafts file in {path} could not be used ({reason}). If hrcities is "
                "open in another window, close it and try again."
            ).format(path=data_dir, reason=failure)
        )
        return Exit.FAILED
    except OSError as failure:
        error(
            _(
                "{path} could not be used ({reason}). Check the name and the folder, and try again."
            ).format(path=shown(failure.filename or data_dir), reason=failure.strerror or failure)
        )
        return Exit.FAILED
    except Exception as failure:  # the last net: a person gets words, the log gets the traceback
        log.exception("unexpected failure in hrcities %s", getattr(args, "command", ""))
        where = log_path(data_dir)
        what = f"{type(failure).__name__}: {failure}"
        error(
            _(
                "something went wrong that hrcities did not expect ({error}). Please report it"
                " with the details from {log}."
            ).format(error=what, log=where)
            if where.exists()
            else _(
                "something went wrong that hrcities did not expect ({error}). Please report it."
            ).format(error=what)
        )
        return Exit.UNEXPECTED


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `hrcities` command."""
    for stream in (sys.stdout, sys.stderr):
        # A Windows console or a redirected file may not hold every script (Arabic, say):
        # a character it cannot show becomes "?" rather than a crash.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")
    set_language(system_language())
    translate_argparse()
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    if args.command is None:
        from desktop.app import run_app  # noqa: PLC0415 - Qt loads only when the window opens

        return run_app(data_dir)
    args.data_dir = data_dir
    setup_logging(data_dir, create=False)  # libraries' tracebacks to the log, not the terminal
    code = _run(args, data_dir)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    return code


if __name__ == "__main__":
    sys.exit(main())
