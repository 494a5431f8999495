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
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import platformdirs

from desktop.cli.argparse_texts import translate_argparse
from desktop.cli.keys import add_commands as add_signing_commands
from desktop.core.logs import log_path, setup_logging
from desktop.core.store.drafts import DRAFT, STATUS_LABELS, DraftsStore
from desktop.version import __version__
from i18n import formatting
from i18n.errors import UserError
from i18n.formatting import printable
from i18n.languages import system_language
from i18n.translate import _, ngettext, set_language
from schemas.validation import Severity, ValidationReport, is_relevant, validate

DATA_DIR_VARIABLE = "HRCITIES_DATA_DIR"
# 0: done; 1: refused or failed, with a message saying what to do; 2: the command line itself
# is wrong (argparse's own status); 3: something the program did not expect (see the log).
EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 3
log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    """Where drafts live: HRCITIES_DATA_DIR if set, else the platform's per-user data folder."""
    chosen = os.environ.get(DATA_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    return Path(platformdirs.user_data_dir("hrcities", appauthor=False))


def _print(text: str = "") -> None:
    print(text, flush=True)


def _print_findings(report: ValidationReport, signed: bool = False) -> None:
    for item in report.findings:
        kind = _("wrong") if item.severity is Severity.WRONG else _("missing")
        _print(f"  [{kind}] {printable(item.path)}: {printable(item.render(_, ngettext))}")
    if report.can_sign and not signed:
        _print(_("Nothing is missing or wrong: the form is ready to sign."))


def _print_signed(store: DraftsStore, draft_id: str) -> None:
    """Who signed a signed draft, and how to take its signed files elsewhere."""
    submission = store.submission_for(draft_id)
    if submission is None:
        return
    _print(
        _(
            "This form is signed (submission {id}, by {name}, {when}): it can no longer be changed."
        ).format(
            id=submission.id,
            name=printable(submission.signer_name),
            when=formatting.moment(submission.signed_at),
        )
    )
    _print(_("Its signed files: hrcities drafts export-signed {id} FOLDER").format(id=draft_id))


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
                    printable(draft.name) or _("(no name yet)"),
                    printable(draft.country) or "--",
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
            _print(f"  {field.id}: {printable(shown)}")
    _print()
    signed = draft.status != DRAFT
    if signed:
        _print_signed(store, draft.id)
    _print(_("Findings:"))
    _print_findings(report, signed=signed)
    return EXIT_OK


def _cmd_export(store: DraftsStore, args: argparse.Namespace) -> int:
    from desktop.core.store.draft_files import export_draft, write_draft_file  # noqa: PLC0415

    if args.output is None:
        _print(json.dumps(export_draft(store, args.draft_id), ensure_ascii=False, indent=2))
        return EXIT_OK
    write_draft_file(store, args.draft_id, args.output, replace=args.force)
    _print(_("Draft exported to {path}.").format(path=args.output))
    if store.get(args.draft_id).status != DRAFT:
        _print_signed(store, args.draft_id)
    return EXIT_OK


def _cmd_export_signed(store: DraftsStore, args: argparse.Namespace) -> int:
    from desktop.core.signed_export import export_signed  # noqa: PLC0415 - this command only

    written = export_signed(store, args.draft_id, args.folder, replace=args.force)
    _print(_("Signed files written to {folder}:").format(folder=args.folder.resolve()))
    for path in written:
        _print(f"  {printable(path.name)}")
    envelope = written[0]
    _print(
        _("Check them on any computer with: hrcities verify {envelope} --files {folder}").format(
            envelope=envelope, folder=args.folder
        )
    )
    return EXIT_OK


def _cmd_import(store: DraftsStore, args: argparse.Namespace) -> int:
    from desktop.core.store.draft_files import import_draft, read_draft_file  # noqa: PLC0415

    result = import_draft(store, read_draft_file(args.file))
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
    export.add_argument("--force", action="store_true", help=_("replace the file if it exists"))
    export.set_defaults(handler=_cmd_export)

    signed = actions.add_parser(
        "export-signed",
        help=_("write a signed form's envelope, signed PDF and files to a folder"),
    )
    signed.description = _(
        "Write everything another computer needs to verify a signed form: the envelope, the "
        "signed PDF, the picture of the signature and every attached document."
    )
    signed.add_argument("draft_id", metavar="ID", help=_("the signed draft's id"))
    signed.add_argument("folder", metavar="FOLDER", type=Path, help=_("the folder to write into"))
    signed.add_argument("--force", action="store_true", help=_("replace files already there"))
    signed.set_defaults(handler=_cmd_export_signed)

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


def _error(text: str) -> None:
    print(_("Error: {message}").format(message=text), file=sys.stderr, flush=True)


def _quiet_stdout() -> None:
    """The reader of our output went away (`| head -1`): say nothing more, anywhere."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _run(args: argparse.Namespace, data_dir: Path) -> int:
    """Run the chosen command; every failure becomes a message and an exit status."""
    try:
        if hasattr(args, "folder_handler"):
            return args.folder_handler(data_dir, args)
        return _run_with_store(data_dir, args.handler, args)
    except UserError as error:
        _error(str(error))
        return EXIT_FAILURE
    except (KeyboardInterrupt, EOFError):
        print(_("Stopped. Nothing more was done."), file=sys.stderr, flush=True)
        return EXIT_FAILURE
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except sqlite3.Error as error:
        _error(
            _(
                "the drafts file in {path} could not be used ({reason}). If hrcities is "
                "open in another window, close it and try again."
            ).format(path=data_dir, reason=error)
        )
        return EXIT_FAILURE
    except OSError as error:
        _error(
            _(
                "{path} could not be used ({reason}). Check the name and the folder, and try again."
            ).format(path=error.filename or data_dir, reason=error.strerror or error)
        )
        return EXIT_FAILURE
    except Exception as error:  # the last net: a person gets words, the log gets the traceback
        log.exception("unexpected failure in hrcities %s", getattr(args, "command", ""))
        where = log_path(data_dir)
        _error(
            _(
                "something went wrong that hrcities did not expect ({error}). Please report it"
                " with the details from {log}."
            ).format(error=f"{type(error).__name__}: {error}", log=where)
            if where.exists()
            else _(
                "something went wrong that hrcities did not expect ({error}). Please report it."
            ).format(error=f"{type(error).__name__}: {error}")
        )
        return EXIT_UNEXPECTED


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
