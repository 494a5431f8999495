"""`hrcities sign`: the mayor's office signs a finished draft from the command line.

The statement is printed exactly as it will be signed, in its language, and signing asks first.
Qt is loaded only once the statement is confirmed: it cleans the picture of the signature and
lays out the signed PDF, with the very functions the signing screen uses.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.commands import Exit, arg, command
from desktop.cli.keys import PASSPHRASE_FILE, read_passphrase
from desktop.cli.output import say, shown
from desktop.core.store.drafts import DraftsStore
from i18n import formatting
from i18n.errors import UserError
from i18n.languages import LANGUAGE_CODES
from i18n.translate import N_, _, current_language, set_language
from schemas.limits import SIGNATURE_PICTURE_MAX_BYTES


@command(
    None,
    "sign",
    help=N_("sign a finished draft with the office key"),
    description=N_(
        "Sign a finished draft in the name of the office: the statement is shown in its "
        "language and signing asks first (unless --yes). The draft is then locked; use the "
        "window's Correct to change it. The office key's passphrase is asked at a prompt, or "
        "read from --passphrase-file."
    ),
    arguments=(
        arg("draft_id", metavar="DRAFT_ID", help=N_("the draft's id")),
        arg(
            "--signature-image",
            type=Path,
            required=True,
            help=N_("a PNG or JPEG picture of the handwritten signature"),
        ),
        PASSPHRASE_FILE,
        arg(
            "--language",
            choices=LANGUAGE_CODES,
            help=N_("language of the statement signed (default: the one it was last shown in)"),
        ),
        arg(
            "--yes", action="store_true", help=N_("sign without asking (the statement is printed)")
        ),
        arg(
            "--out",
            type=Path,
            help=N_(
                "also write the signed files (envelope, signed PDF, attachments) to this folder"
            ),
        ),
        arg("--force", action="store_true", help=N_("replace files already in the --out folder")),
    ),
)
def cmd_sign(store: DraftsStore, args: argparse.Namespace) -> int:
    """Sign a finished draft with the office key and a picture of the handwritten signature."""
    from desktop.core.signed_export import check_folder, export_signed  # noqa: PLC0415
    from desktop.core.signing import sign_draft  # noqa: PLC0415
    from sync import office_key  # noqa: PLC0415

    if args.out is not None:
        # Checked before signing: a signed draft is locked, so a folder found wrong afterwards
        # used to leave a signature that was never written out.
        check_folder(args.out, [], replace=True)
    try:
        if args.signature_image.stat().st_size > SIGNATURE_PICTURE_MAX_BYTES:
            raise UserError(
                N_(
                    "The signature picture {path} is too large to be a photo or scan of a "
                    "signature. Choose a PNG or JPEG picture of the signature itself."
                ),
                path=args.signature_image,
            )
        signature_picture = args.signature_image.read_bytes()
    except OSError as error:
        raise UserError(
            N_("The signature picture {path} could not be read ({reason})."),
            path=args.signature_image,
            reason=error.strerror or error,
        ) from error
    _confirm_statement(store, args)
    signature_png = _to_png(signature_picture)  # a picture refused before the passphrase is asked
    passphrase = read_passphrase(args.passphrase_file, _("Passphrase: "))
    key = office_key.unlock_stored(args.data_dir, passphrase)
    # Qt lays out the PDF: loaded only now, so a refusal before signing never starts Qt.
    from desktop.form.pdf_export import form_pdf  # noqa: PLC0415

    submission = sign_draft(store, args.draft_id, key, signature_png, make_pdf=form_pdf)
    say(
        _("Signed. Submission {id}, by {name}, {when}.").format(
            id=submission.id,
            name=shown(submission.signer_name),
            when=formatting.moment(submission.signed_at),
        )
    )
    say(_("Fingerprint: {groups}").format(groups=key.fingerprint))
    if args.out is not None:
        try:
            export_signed(store, args.draft_id, args.out, replace=args.force)
        except UserError as error:
            raise UserError(
                N_(
                    "The form is signed, but its files could not be written: {reason} Write "
                    "them later with: hrcities drafts export-signed {id} FOLDER"
                ),
                reason=error,
                id=args.draft_id,
            ) from error
        say(
            _(
                "The envelope, the signed PDF, the signature and the attached files were written "
                "to {folder}."
            ).format(folder=args.out)
        )
    return Exit.OK


def _confirm_statement(store: DraftsStore, args: argparse.Namespace) -> None:
    """Show the statement exactly as it will be signed, in its language, and ask to confirm.

    The envelope carries the statement shown to the signer: on the command line that is the
    text printed here, in the language chosen (by default the one the window last showed it in).
    """
    from desktop.core.signing import relevant_answers  # noqa: PLC0415
    from sync.statement import statement_text  # noqa: PLC0415

    draft = store.get(args.draft_id)
    language = args.language or draft.statement_language or current_language()
    set_language(language)
    form = store.form_for(draft)
    say(_("The statement to be signed:"))
    say()
    # As signed, isolates included: escaping it (as text from files is) would show their marks.
    say(statement_text(form, relevant_answers(form, draft.answers), language))
    say()
    if args.yes:
        return
    yes = _("yes")
    try:
        answer = input(_("Sign it? Type {yes} and press Enter: ").format(yes=yes))
    except EOFError:
        answer = ""
    if answer.strip().casefold() != yes.casefold():
        raise UserError(N_("Not signed. Nothing was changed."))


def _to_png(data: bytes) -> bytes:
    """The signature picture cleaned and bounded exactly as the signing screen does it (a photo
    or scan, PNG or JPEG, becomes dark ink on white trimmed to the ink)."""
    from desktop.form.pdf_export import ensure_gui  # noqa: PLC0415
    from desktop.signing.signature_picture import picture_png  # noqa: PLC0415 - Qt's images

    ensure_gui()
    return picture_png(data)
