"""`hrcities`: the app with no arguments, and subcommands for what people and scripts do without it.

The command line is a thin layer over the same core functions the window calls. Every failure a
person can cause ends in a translated message saying what to do and a non-zero exit status, never
a traceback. The parser is built when the command runs, after the language is set, so its help
is in that language too.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import platformdirs

from desktop.cli_signing import add_commands as add_signing_commands
from desktop.store.drafts import STATUS_LABELS, DraftsStore
from desktop.version import __version__
from i18n import formatting
from i18n.errors import UserError
from i18n.languages import system_language
from i18n.translate import N_, _, ngettext, set_language
from schemas.validation import Severity, ValidationReport, is_relevant, validate

DATA_DIR_VARIABLE = "HRCITIES_DATA_DIR"
EXIT_OK, EXIT_FAILURE = 0, 1


def default_data_dir() -> Path:
    """Where drafts live: HRCITIES_DATA_DIR if set, else the platform's per-user data folder."""
    chosen = os.environ.get(DATA_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    return Path(platformdirs.user_data_dir("hrcities", appauthor=False))


def _print(text: str = "") -> None:
    print(text, flush=True)


def _print_findings(report: ValidationReport) -> None:
    for item in report.findings:
        kind = _("wrong") if item.severity is Severity.WRONG else _("missing")
        _print(f"  [{kind}] {item.path}: {item.render(_, ngettext)}")
    if report.can_sign:
        _print(_("Nothing is missing or wrong: the form is ready to sign."))


def _cmd_list(store: DraftsStore, args: argparse.Namespace) -> int:
    drafts = store.list(trashed=args.trash)
    if args.json:
        _print(json.dumps([vars(d) for d in drafts], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not drafts:
        _print(_("The trash is empty.") if args.trash else _("There are no drafts yet."))
        return EXIT_OK
    for draft in drafts:
        _print(
            "  ".join(
                (
                    draft.id,
                    draft.name or _("(no name yet)"),
                    draft.country or "--",
                    _(STATUS_LABELS[draft.status]),
                    formatting.percent(draft.completion),
                    formatting.moment(draft.updated_at),
                )
            )
        )
    return EXIT_OK


def _cmd_show(store: DraftsStore, args: argparse.Namespace) -> int:
    draft = store.get(args.draft_id)
    form = store.form_for(draft)
    report = validate(form, draft.answers)
    _print(f"{draft.id}  {form.form_id} {form.version}  {_(STATUS_LABELS[draft.status])}")
    _print(_("Last change: {when}").format(when=formatting.moment(draft.updated_at)))
    for section in form.sections:
        completion = report.sections[section.id]
        _print()
        _print(f"== {_(section.title)} ({completion.done}/{completion.total})")
        for field in section.fields:
            if not is_relevant(field, draft.answers):
                continue
            value = draft.answers.get(field.id)
            shown = json.dumps(value, ensure_ascii=False) if value is not None else "--"
            _print(f"  {field.id}: {shown}")
    _print()
    _print(_("Findings:"))
    _print_findings(report)
    return EXIT_OK


def _cmd_export(store: DraftsStore, args: argparse.Namespace) -> int:
    from desktop.store.draft_files import export_draft, write_draft_file  # noqa: PLC0415

    if args.output is None:
        _print(json.dumps(export_draft(store, args.draft_id), ensure_ascii=False, indent=2))
        return EXIT_OK
    write_draft_file(store, args.draft_id, args.output)
    _print(_("Draft exported to {path}.").format(path=args.output))
    return EXIT_OK


def _cmd_import(store: DraftsStore, args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(
            N_(
                "The file {path} could not be read as text ({reason}). "
                "Check the name and try again."
            ),
            path=args.file,
            reason=getattr(error, "strerror", None) or str(error),
        ) from error
    from desktop.store.draft_files import import_draft  # noqa: PLC0415 - this command only

    result = import_draft(store, text)
    _print(_("Imported as draft {id}.").format(id=result.draft.id))
    _print_findings(result.report)
    return EXIT_OK


def _cmd_trash(store: DraftsStore, args: argparse.Namespace) -> int:
    store.trash(args.draft_id)
    _print(_("Draft {id} moved to the trash.").format(id=args.draft_id))
    return EXIT_OK


def _cmd_restore(store: DraftsStore, args: argparse.Namespace) -> int:
    store.restore(args.draft_id)
    _print(_("Draft {id} restored from the trash.").format(id=args.draft_id))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, texts in the current language."""
    parser = argparse.ArgumentParser(
        prog="hrcities",
        description=_(
            'Join the campaign "10, 100, 1000 Human Rights Cities and Territories by 2030". '
            "With no command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"hrcities {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=_("folder holding the drafts (default: {variable} or the user data folder)").format(
            variable=DATA_DIR_VARIABLE
        ),
    )
    # For tests: a Python file run inside the app once the window is shown.
    parser.add_argument("--run-script", type=Path, default=None, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    drafts = commands.add_parser("drafts", help=_("list, show, export and import drafts"))
    drafts.description = _("Work with the drafts kept on this computer.")
    actions = drafts.add_subparsers(dest="action", metavar=_("ACTION"), required=True)

    listing = actions.add_parser("list", help=_("list the drafts, most recent first"))
    listing.add_argument("--trash", action="store_true", help=_("list the trash instead"))
    listing.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    listing.set_defaults(handler=_cmd_list)

    show = actions.add_parser("show", help=_("show a draft's answers and what is missing"))
    show.add_argument("draft_id", metavar="ID", help=_("the draft's id"))
    show.set_defaults(handler=_cmd_show)

    export = actions.add_parser("export", help=_("write a draft as a JSON file"))
    export.add_argument("draft_id", metavar="ID", help=_("the draft's id"))
    export.add_argument(
        "-o", "--output", type=Path, default=None, help=_("file to write (default: print it)")
    )
    export.set_defaults(handler=_cmd_export)

    importing = actions.add_parser("import", help=_("create a draft from a JSON file"))
    importing.add_argument("file", metavar="FILE", type=Path, help=_("the JSON file to read"))
    importing.set_defaults(handler=_cmd_import)

    trash = actions.add_parser("trash", help=_("move a draft to the trash"))
    trash.add_argument("draft_id", metavar="ID", help=_("the draft's id"))
    trash.set_defaults(handler=_cmd_trash)

    restore = actions.add_parser("restore", help=_("bring a draft back from the trash"))
    restore.add_argument("draft_id", metavar="ID", help=_("the draft's id"))
    restore.set_defaults(handler=_cmd_restore)
    add_signing_commands(commands)
    return parser


def _run_with_store(data_dir: Path, handler: Callable[..., int], args: argparse.Namespace) -> int:
    store = DraftsStore.open(data_dir)
    try:
        if store.open_report.recovered:
            print(store.open_report.message(), file=sys.stderr, flush=True)
        return handler(store, args)
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `hrcities` command."""
    for stream in (sys.stdout, sys.stderr):
        # A Windows console or a redirected file may not hold every script (Arabic, say):
        # a character it cannot show becomes "?" rather than a crash.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")
    set_language(system_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    if args.command is None:
        from desktop.app import run_app  # noqa: PLC0415 - Qt loads only when the window opens

        return run_app(data_dir, args.run_script)
    args.data_dir = data_dir
    try:
        if hasattr(args, "folder_handler"):
            return args.folder_handler(data_dir, args)
        return _run_with_store(data_dir, args.handler, args)
    except UserError as error:
        print(_("Error: {message}").format(message=error), file=sys.stderr, flush=True)
        return EXIT_FAILURE
    except (KeyboardInterrupt, EOFError):
        print(_("Stopped. Nothing more was done."), file=sys.stderr, flush=True)
        return EXIT_FAILURE
    except sqlite3.Error as error:
        print(
            _(
                "Error: the drafts file in {path} could not be used ({reason}). If hrcities is "
                "open in another window, close it and try again."
            ).format(path=data_dir, reason=error),
            file=sys.stderr,
            flush=True,
        )
        return EXIT_FAILURE
    except OSError as error:
        print(
            # The path that failed when the system names it; else the data folder.
            _("Error: {path} could not be used ({reason}). Check the folder and try again.").format(
                path=formatting.printable(error.filename or data_dir),
                reason=error.strerror or error,
            ),
            file=sys.stderr,
            flush=True,
        )
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
