"""`hrcities keys ...`, `hrcities sign` (and `hrcities verify`, in desktop/cli/verify.py).

Passphrases are asked at a prompt that does not echo, or read from a file (first line) for
scripts; they never appear on the command line, where other users of a shared PC could see them.
Cryptography, pyHanko and Qt load inside the commands that use them, so that starting the app or
listing drafts does not wait for them.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.verify import add_verify_command
from desktop.core.store.drafts import DraftsStore
from i18n import formatting
from i18n.errors import UserError
from i18n.languages import LANGUAGE_CODES
from i18n.translate import N_, _, current_language, set_language

if TYPE_CHECKING:
    from sync.office_key import KeyFileInfo

EXIT_OK, EXIT_FAILURE = 0, 1


def _print(text: str = "") -> None:
    print(text, flush=True)


def _read_passphrase(path: Path | None, prompt: str) -> str:
    if path is not None:
        try:
            # utf-8-sig: Notepad and PowerShell start UTF-8 files with a byte-order mark, which
            # would otherwise become part of the passphrase.
            return path.read_text(encoding="utf-8-sig").splitlines()[0]
        except (OSError, UnicodeDecodeError, IndexError) as error:
            raise UserError(
                N_("The passphrase file {path} could not be read. Check it and try again."),
                path=path,
            ) from error
    return getpass.getpass(prompt)


def _new_passphrase(path: Path | None) -> str:
    """A new passphrase, refused when weak; asked twice when typed."""
    if path is not None:
        passphrase = _read_passphrase(path, "")
    else:
        passphrase = getpass.getpass(_("New passphrase: "))
        if getpass.getpass(_("The same passphrase again: ")) != passphrase:
            raise UserError(N_("The two passphrases differ. Nothing was changed; try again."))
    from sync import office_key  # noqa: PLC0415

    hint = office_key.passphrase_hint(passphrase)
    if not hint.acceptable:
        raise office_key.WeakPassphrase(
            N_("This passphrase is too easy to guess: {hint}"), hint=hint.message
        )
    return passphrase


def _show_key(info: KeyFileInfo, with_qr: bool) -> None:
    # The office name comes from a key file, perhaps a backup from someone else's USB stick.
    _print(_("Office: {name}").format(name=formatting.printable(info.office_name)))
    _print(_("Fingerprint: {groups}").format(groups=info.fingerprint))
    _print(_("Key id: {kid}").format(kid=info.kid))
    if with_qr:
        import segno  # noqa: PLC0415

        segno.make(f"hrcities-office-key:{info.kid}", error="m").terminal(compact=True)


def cmd_keys_create(data_dir: Path, args: argparse.Namespace) -> int:
    """Make the office key, stored encrypted under a new passphrase."""
    from sync import office_key  # noqa: PLC0415

    passphrase = _new_passphrase(args.passphrase_file)
    _key, data = office_key.create_key(args.office, passphrase)
    office_key.save_key_file(data_dir, data, replace=args.replace)
    _print(_("Office key created. Keep a backup: hrcities keys export FILE"))
    _show_key(office_key.read_key_file(data), with_qr=False)
    return EXIT_OK


def cmd_keys_show(data_dir: Path, args: argparse.Namespace) -> int:
    """Show the office, the fingerprint in short groups, and (optionally) its QR code."""
    from sync import office_key  # noqa: PLC0415

    _show_key(office_key.read_key_file(office_key.load_key_file(data_dir)), args.qr)
    return EXIT_OK


def cmd_keys_export(data_dir: Path, args: argparse.Namespace) -> int:
    """Copy the encrypted key file to a backup (a USB stick, say)."""
    from sync import office_key  # noqa: PLC0415

    written = office_key.export_backup(data_dir, args.file, replace=args.force)
    _print(
        _("Backup written and read back: {path}. It opens only with the passphrase.").format(
            path=written
        )
    )
    return EXIT_OK


def cmd_keys_import(data_dir: Path, args: argparse.Namespace) -> int:
    """Restore the office key from a backup file."""
    from sync import office_key  # noqa: PLC0415

    office_key.import_backup(data_dir, args.file, replace=args.replace)
    _print(_("Office key restored from {path}.").format(path=args.file))
    _show_key(office_key.read_key_file(office_key.load_key_file(data_dir)), with_qr=False)
    return EXIT_OK


def cmd_keys_passwd(data_dir: Path, args: argparse.Namespace) -> int:
    """Change the passphrase that protects the office key."""
    from sync import office_key  # noqa: PLC0415

    office_key.load_key_file(data_dir)  # no key, no questions
    old = _read_passphrase(args.passphrase_file, _("Current passphrase: "))
    new = _new_passphrase(args.new_passphrase_file)
    office_key.change_stored_passphrase(data_dir, old, new)
    _print(_("Passphrase changed."))
    return EXIT_OK


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
        signature_png = args.signature_image.read_bytes()
    except OSError as error:
        raise UserError(
            N_("The signature picture {path} could not be read ({reason})."),
            path=args.signature_image,
            reason=error.strerror or error,
        ) from error
    _confirm_statement(store, args)
    passphrase = _read_passphrase(args.passphrase_file, _("Passphrase: "))
    key = office_key.unlock_stored(args.data_dir, passphrase)
    # Qt lays out the PDF: loaded only now, so a refusal before signing never starts Qt.
    from desktop.form.pdf_export import form_pdf  # noqa: PLC0415

    submission = sign_draft(store, args.draft_id, key, _to_png(signature_png), make_pdf=form_pdf)
    _print(
        _("Signed. Submission {id}, by {name}, {when}.").format(
            id=submission.id,
            name=formatting.printable(submission.signer_name),
            when=formatting.moment(submission.signed_at),
        )
    )
    _print(_("Fingerprint: {groups}").format(groups=key.fingerprint))
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
        _print(
            _(
                "The envelope, the signed PDF, the signature and the attached files were written "
                "to {folder}."
            ).format(folder=args.out)
        )
    return EXIT_OK


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
    _print(_("The statement to be signed:"))
    _print()
    # As signed, isolates included: escaping it (as text from files is) would show their marks.
    _print(statement_text(form, relevant_answers(form, draft.answers), language))
    _print()
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
    """Signatures are kept as PNG; a JPEG scan is converted (Qt reads both)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return data
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice  # noqa: PLC0415
    from PySide6.QtGui import QImage  # noqa: PLC0415

    from desktop.form.pdf_export import ensure_gui  # noqa: PLC0415

    ensure_gui()
    image = QImage()
    if not data.startswith(b"\xff\xd8\xff") or not image.loadFromData(data, "JPEG"):
        raise UserError(N_("The signature picture is not a PNG or JPEG image."))
    out = QByteArray()
    buffer = QBuffer(out)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(out.data())


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add keys, sign and verify to the `hrcities` parser."""
    keys = commands.add_parser("keys", help=_("create, show, back up and restore the office key"))
    keys.description = _("The office key signs the forms of this office.")
    actions = keys.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    passphrase_help = _("read the passphrase from the first line of this file")

    create = actions.add_parser("create", help=_("make the office key"))
    create.add_argument("--office", required=True, help=_("the office's name, as it signs"))
    create.add_argument("--passphrase-file", type=Path, help=passphrase_help)
    create.add_argument(
        "--replace", action="store_true", help=_("replace an existing key (keep its backup!)")
    )
    create.set_defaults(folder_handler=cmd_keys_create)

    show = actions.add_parser("show", help=_("show the office and the key's fingerprint"))
    show.add_argument("--qr", action="store_true", help=_("also print the fingerprint's QR code"))
    show.set_defaults(folder_handler=cmd_keys_show)

    export = actions.add_parser("export", help=_("write an encrypted backup of the key"))
    export.add_argument("file", metavar="FILE", type=Path, help=_("the backup file to write"))
    export.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    export.set_defaults(folder_handler=cmd_keys_export)

    restore = actions.add_parser("import", help=_("restore the key from a backup"))
    restore.add_argument("file", metavar="FILE", type=Path, help=_("the backup file to read"))
    restore.add_argument(
        "--replace", action="store_true", help=_("replace a different key already here")
    )
    restore.set_defaults(folder_handler=cmd_keys_import)

    passwd = actions.add_parser("passwd", help=_("change the key's passphrase"))
    passwd.add_argument("--passphrase-file", type=Path, help=passphrase_help)
    passwd.add_argument(
        "--new-passphrase-file", type=Path, help=_("read the new passphrase from this file")
    )
    passwd.set_defaults(folder_handler=cmd_keys_passwd)

    sign = commands.add_parser("sign", help=_("sign a finished draft with the office key"))
    sign.add_argument("draft_id", metavar="DRAFT_ID", help=_("the draft's id"))
    sign.add_argument(
        "--signature-image",
        type=Path,
        required=True,
        help=_("a PNG or JPEG picture of the handwritten signature"),
    )
    sign.add_argument("--passphrase-file", type=Path, help=passphrase_help)
    sign.add_argument(
        "--language",
        choices=LANGUAGE_CODES,
        help=_("language of the statement signed (default: the one it was last shown in)"),
    )
    sign.add_argument(
        "--yes", action="store_true", help=_("sign without asking (the statement is printed)")
    )
    sign.add_argument(
        "--out",
        type=Path,
        help=_("also write the signed files (envelope, signed PDF, attachments) to this folder"),
    )
    sign.add_argument(
        "--force", action="store_true", help=_("replace files already in the --out folder")
    )
    sign.description = _(
        "Sign a finished draft in the name of the office: the statement is shown in its "
        "language and signing asks first (unless --yes). The draft is then locked; use the "
        "window's Correct to change it. The office key's passphrase is asked at a prompt, or "
        "read from --passphrase-file."
    )
    sign.set_defaults(handler=cmd_sign)

    add_verify_command(commands)
