"""`hrcities keys ...`: make, show, back up, restore the office key and change its passphrase.

Passphrases are asked at a prompt that does not echo, or read from a file (first line) for
scripts; they never appear on the command line, where other users of a shared PC could see them.
Cryptography loads inside the commands that use it, so that listing drafts does not wait for it.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.commands import Argument, Exit, arg, command, group
from desktop.cli.output import say, shown
from i18n.errors import UserError
from i18n.translate import N_, _

if TYPE_CHECKING:
    from sync.office_key import KeyFileInfo

PASSPHRASE_FILE = arg(
    "--passphrase-file",
    type=Path,
    help=N_("read the passphrase from the first line of this file"),
)

group(
    "keys",
    help=N_("create, show, back up and restore the office key"),
    description=N_("The office key signs the forms of this office."),
)


def read_passphrase(path: Path | None, prompt: str) -> str:
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


def new_passphrase(path: Path | None) -> str:
    """A new passphrase, refused when weak; asked twice when typed."""
    if path is not None:
        passphrase = read_passphrase(path, "")
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
    say(_("Office: {name}").format(name=shown(info.office_name)))
    say(_("Fingerprint: {groups}").format(groups=info.fingerprint))
    say(_("Key id: {kid}").format(kid=info.kid))
    if with_qr:
        import segno  # noqa: PLC0415

        segno.make(f"hrcities-office-key:{info.kid}", error="m").terminal(compact=True)


@command(
    "keys",
    "create",
    help=N_("make the office key"),
    arguments=(
        arg("--office", required=True, help=N_("the office's name, as it signs")),
        PASSPHRASE_FILE,
        arg(
            "--replace", action="store_true", help=N_("replace an existing key (keep its backup!)")
        ),
    ),
    uses="folder",
)
def cmd_keys_create(data_dir: Path, args: argparse.Namespace) -> int:
    """Make the office key, stored encrypted under a new passphrase."""
    from sync import office_key  # noqa: PLC0415

    passphrase = new_passphrase(args.passphrase_file)
    _key, data = office_key.create_key(args.office, passphrase)
    office_key.save_key_file(data_dir, data, replace=args.replace)
    say(_("Office key created. Keep a backup: hrcities keys export FILE"))
    _show_key(office_key.read_key_file(data), with_qr=False)
    return Exit.OK


@command(
    "keys",
    "show",
    help=N_("show the office and the key's fingerprint"),
    arguments=(arg("--qr", action="store_true", help=N_("also print the fingerprint's QR code")),),
    uses="folder",
)
def cmd_keys_show(data_dir: Path, args: argparse.Namespace) -> int:
    """Show the office, the fingerprint in short groups, and (optionally) its QR code."""
    from sync import office_key  # noqa: PLC0415

    _show_key(office_key.read_key_file(office_key.load_key_file(data_dir)), args.qr)
    return Exit.OK


def _backup_file(help_text: str) -> Argument:
    """The FILE argument of the backup commands (export writes it, import reads it)."""
    return arg("file", metavar="FILE", type=Path, help=help_text)


@command(
    "keys",
    "export",
    help=N_("write an encrypted backup of the key"),
    arguments=(
        _backup_file(N_("the backup file to write")),
        arg("--force", action="store_true", help=N_("replace FILE if it exists")),
    ),
    uses="folder",
)
def cmd_keys_export(data_dir: Path, args: argparse.Namespace) -> int:
    """Copy the encrypted key file to a backup (a USB stick, say)."""
    from sync import office_key  # noqa: PLC0415

    written = office_key.export_backup(data_dir, args.file, replace=args.force)
    say(
        _("Backup written and read back: {path}. It opens only with the passphrase.").format(
            path=written
        )
    )
    return Exit.OK


@command(
    "keys",
    "import",
    help=N_("restore the key from a backup"),
    arguments=(
        _backup_file(N_("the backup file to read")),
        arg("--replace", action="store_true", help=N_("replace a different key already here")),
    ),
    uses="folder",
)
def cmd_keys_import(data_dir: Path, args: argparse.Namespace) -> int:
    """Restore the office key from a backup file."""
    from sync import office_key  # noqa: PLC0415

    office_key.import_backup(data_dir, args.file, replace=args.replace)
    say(_("Office key restored from {path}.").format(path=args.file))
    _show_key(office_key.read_key_file(office_key.load_key_file(data_dir)), with_qr=False)
    return Exit.OK


@command(
    "keys",
    "passwd",
    help=N_("change the key's passphrase"),
    arguments=(
        PASSPHRASE_FILE,
        arg(
            "--new-passphrase-file",
            type=Path,
            help=N_("read the new passphrase from this file"),
        ),
    ),
    uses="folder",
)
def cmd_keys_passwd(data_dir: Path, args: argparse.Namespace) -> int:
    """Change the passphrase that protects the office key."""
    from sync import office_key  # noqa: PLC0415

    office_key.load_key_file(data_dir)  # no key, no questions
    old = read_passphrase(args.passphrase_file, _("Current passphrase: "))
    new = new_passphrase(args.new_passphrase_file)
    office_key.change_stored_passphrase(data_dir, old, new)
    say(_("Passphrase changed."))
    return Exit.OK
