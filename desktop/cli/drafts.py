"""`hrcities drafts ...`: list, show, export, import, trash and restore the drafts of this computer.

A thin layer over the drafts store the window uses: the same checks, the same messages.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop.cli.commands import Exit, arg, command, group
from desktop.cli.output import say, shown
from desktop.core.store.drafts import STATUS_LABELS, DraftsStore, DraftStatus
from i18n import formatting
from i18n.translate import N_, _, ngettext
from schemas.validation import Severity, ValidationReport, is_relevant, validate

DRAFT_ID = arg("draft_id", metavar="ID", help=N_("the draft's id"))

group(
    "drafts",
    help=N_("list, show, export and import drafts"),
    description=N_("Work with the drafts kept on this computer."),
)


def _print_findings(report: ValidationReport, signed: bool = False) -> None:
    for item in report.findings:
        kind = _("wrong") if item.severity is Severity.WRONG else _("missing")
        say(f"  [{kind}] {shown(item.path)}: {shown(item.render(_, ngettext))}")
    if report.can_sign and not signed:
        say(_("Nothing is missing or wrong: the form is ready to sign."))


def _print_signed(store: DraftsStore, draft_id: str) -> None:
    """Who signed a signed draft, and how to take its signed files elsewhere."""
    submission = store.submission_for(draft_id)
    if submission is None:
        return
    say(
        _(
            "This form is signed (submission {id}, by {name}, {when}): it can no longer be changed."
        ).format(
            id=submission.id,
            name=shown(submission.signer_name),
            when=formatting.moment(submission.signed_at),
        )
    )
    say(_("Its signed files: hrcities drafts export-signed {id} FOLDER").format(id=draft_id))


@command(
    "drafts",
    "list",
    help=N_("list the drafts, most recent first"),
    arguments=(
        arg("--trash", action="store_true", help=N_("list the trash instead")),
        arg("--json", action="store_true", help=N_("print JSON for scripts")),
    ),
)
def cmd_list(store: DraftsStore, args: argparse.Namespace) -> int:
    drafts = store.list(trashed=args.trash)
    if args.json:
        say(json.dumps([vars(d) for d in drafts], ensure_ascii=False, indent=2))
        return Exit.OK
    if not drafts:
        say(_("The trash is empty.") if args.trash else _("There are no drafts yet."))
        return Exit.OK
    for draft in drafts:
        say(
            "  ".join(
                (
                    draft.id,
                    shown(draft.name) or _("(no name yet)"),
                    formatting.country_name(shown(draft.country)) if draft.country else "--",
                    _(STATUS_LABELS[draft.status]),
                    formatting.percent(draft.completion),
                    formatting.moment(draft.updated_at),
                )
            )
        )
    return Exit.OK


@command(
    "drafts",
    "show",
    help=N_("show a draft's answers and what is missing"),
    arguments=(DRAFT_ID,),
)
def cmd_show(store: DraftsStore, args: argparse.Namespace) -> int:
    draft = store.get(args.draft_id)
    form = store.form_for(draft)
    report = validate(form, draft.answers)
    say(f"{draft.id}  {form.form_id} {form.version}  {_(STATUS_LABELS[draft.status])}")
    say(_("Last change: {when}").format(when=formatting.moment(draft.updated_at)))
    for section in form.sections:
        completion = report.sections[section.id]
        say()
        say(f"== {_(section.title)} ({completion.done}/{completion.total})")
        for field in section.fields:
            if not is_relevant(field, draft.answers):
                continue
            value = draft.answers.get(field.id)
            text = json.dumps(value, ensure_ascii=False) if value is not None else "--"
            say(f"  {field.id}: {shown(text)}")
    say()
    signed = draft.status != DraftStatus.DRAFT
    if signed:
        _print_signed(store, draft.id)
    say(_("Findings:"))
    _print_findings(report, signed=signed)
    return Exit.OK


@command(
    "drafts",
    "export",
    help=N_("write a draft as a JSON file"),
    arguments=(
        DRAFT_ID,
        arg(
            "-o", "--output", type=Path, default=None, help=N_("file to write (default: print it)")
        ),
        arg("--force", action="store_true", help=N_("replace the file if it exists")),
    ),
)
def cmd_export(store: DraftsStore, args: argparse.Namespace) -> int:
    from desktop.core.store.draft_files import export_draft, write_draft_file  # noqa: PLC0415

    if args.output is None:
        say(json.dumps(export_draft(store, args.draft_id), ensure_ascii=False, indent=2))
        return Exit.OK
    write_draft_file(store, args.draft_id, args.output, replace=args.force)
    say(_("Draft exported to {path}.").format(path=args.output))
    if store.get(args.draft_id).status != DraftStatus.DRAFT:
        _print_signed(store, args.draft_id)
    return Exit.OK


@command(
    "drafts",
    "export-signed",
    help=N_("write a signed form's envelope, signed PDF and files to a folder"),
    description=N_(
        "Write everything another computer needs to verify a signed form: the envelope, the "
        "signed PDF, the picture of the signature and every attached document."
    ),
    arguments=(
        arg("draft_id", metavar="ID", help=N_("the signed draft's id")),
        arg("folder", metavar="FOLDER", type=Path, help=N_("the folder to write into")),
        arg("--force", action="store_true", help=N_("replace files already there")),
    ),
)
def cmd_export_signed(store: DraftsStore, args: argparse.Namespace) -> int:
    from desktop.core.signed_export import export_signed  # noqa: PLC0415 - this command only

    written = export_signed(store, args.draft_id, args.folder, replace=args.force)
    say(_("Signed files written to {folder}:").format(folder=args.folder.resolve()))
    for path in written:
        say(f"  {shown(path.name)}")
    envelope = written[0]
    say(
        _("Check them on any computer with: hrcities verify {envelope} --files {folder}").format(
            envelope=envelope, folder=args.folder
        )
    )
    return Exit.OK


@command(
    "drafts",
    "import",
    help=N_("create a draft from a JSON file"),
    arguments=(arg("file", metavar="FILE", type=Path, help=N_("the JSON file to read")),),
)
def cmd_import(store: DraftsStore, args: argparse.Namespace) -> int:
    from desktop.core.store.draft_files import import_draft, read_draft_file  # noqa: PLC0415

    result = import_draft(store, read_draft_file(args.file))
    say(_("Imported as draft {id}.").format(id=result.draft.id))
    _print_findings(result.report)
    return Exit.OK


@command("drafts", "trash", help=N_("move a draft to the trash"), arguments=(DRAFT_ID,))
def cmd_trash(store: DraftsStore, args: argparse.Namespace) -> int:
    store.trash(args.draft_id)
    say(_("Draft {id} moved to the trash.").format(id=args.draft_id))
    return Exit.OK


@command("drafts", "restore", help=N_("bring a draft back from the trash"), arguments=(DRAFT_ID,))
def cmd_restore(store: DraftsStore, args: argparse.Namespace) -> int:
    store.restore(args.draft_id)
    say(_("Draft {id} restored from the trash.").format(id=args.draft_id))
    return Exit.OK
