"""`hrcities verify`: check a signed envelope or a signed PDF, and say plainly what was checked.

Each check prints as passed, FAILED or not checked (it could not run, or nothing was given to
check it against), and the command succeeds only when every check ran and passed. Everything
it prints from a file goes through `i18n.formatting.printable` (in `Check.render`), so a file
cannot rewrite the terminal line a person reads. Without `--files` it uses the files kept by
this computer's drafts, if there is a drafts database, and creates nothing.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.commands import Exit, arg, command
from desktop.cli.output import say, shown
from desktop.core.store.drafts import DraftsStore
from i18n.errors import UserError
from i18n.translate import N_, _

if TYPE_CHECKING:
    from sync.verify import Check, VerificationReport


def _print_checks(checks: tuple[Check, ...]) -> None:
    # Translators: the result of one check in "hrcities verify": passed or failed.
    passed, failed = _("passed"), _("FAILED")
    # Translators: a check "hrcities verify" could not make (an earlier one failed, or nothing
    # was given to check against).
    not_checked = _("not checked")
    for check in checks:
        mark = (passed if check.ok else failed) if check.ran else not_checked
        say(f"  [{mark}] {check.code}: {check.render()}")


def _verdict(checks: list[Check]) -> bool:
    """Print the last line: failed, incomplete or in order; True only when in order."""
    if any(check.ran and not check.ok for check in checks):
        say(_("Verification FAILED."))
        return False
    if not all(check.ran for check in checks):
        say(
            _(
                "Nothing checked failed, but some checks could not be made (marked "
                "\u201cnot checked\u201d): do not rely on this file until they are."
            )
        )
        return False
    say(_("Everything checked is in order."))
    return True


def _read_checked_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UserError(
            N_("The file {path} could not be read ({reason}). Check the name and try again."),
            path=shown(path),
            reason=error.strerror or error,
        ) from error


def _expected_key(text: str | None) -> str | None:
    """The key given with --expect-key, as a key id or fingerprint; a UserError if neither."""
    if text is None:
        return None
    from sync.jose import key_reference  # noqa: PLC0415

    try:
        return key_reference(text)
    except ValueError as error:
        raise UserError(
            N_(
                "{key} is neither an office key id nor a fingerprint (8 groups of 4 characters, "
                'as "hrcities keys show" prints it). Copy it again from the office and try again.'
            ),
            key=shown(text),
        ) from error


@command(
    None,
    "verify",
    help=N_("check a signed envelope or a signed PDF"),
    description=N_(
        "Check a signed form (an envelope file) or a signed PDF: the signature, what it "
        "signs, the attached files and, when given, the office key expected. Each check is "
        "passed, FAILED or not checked; the command ends with an error unless all passed."
    ),
    arguments=(
        arg("file", metavar="FILE", type=Path, help=N_("the file to check")),
        arg(
            "--files",
            type=Path,
            help=N_("folder with the attached documents (default: this computer's drafts)"),
        ),
        arg(
            "--expect-key",
            metavar="KEY",
            help=N_(
                'the office key expected: its key id, or its fingerprint in quotes ("abcd efgh …")'
            ),
        ),
        arg(
            "--envelope",
            type=Path,
            help=N_(
                "with a signed PDF: the envelope of the same form, whose key the PDF must have"
            ),
        ),
    ),
    uses="folder",
)
def cmd_verify(data_dir: Path, args: argparse.Namespace) -> int:
    """Verify a signed envelope or a signed PDF; exit non-zero unless everything was checked."""
    expected = _expected_key(args.expect_key)
    data = _read_checked_file(args.file)
    checks: list[Check] = []
    if data.startswith(b"%PDF-"):
        from sync.signed_pdf_check import verify_signed_pdf  # noqa: PLC0415

        envelope_kid = None
        if args.envelope is not None:
            report = _verify_envelope_file(
                data_dir, _read_checked_file(args.envelope), args.files, expected
            )
            say(_("Envelope {path}:").format(path=shown(args.envelope)))
            _print_checks(report.checks)
            checks += report.checks
            envelope_kid = report.signer_kid
        result = verify_signed_pdf(data, envelope_kid=envelope_kid, expected_kid=expected)
        say(_("Signed PDF {path}:").format(path=shown(args.file)))
        _print_checks(result.checks)
        checks += result.checks
    else:
        if args.envelope is not None:
            raise UserError(
                N_(
                    "--envelope goes with a signed PDF, to compare their keys; {path} is not a "
                    "PDF. Give the PDF as FILE and the envelope after --envelope."
                ),
                path=shown(args.file),
            )
        report = _verify_envelope_file(data_dir, data, args.files, expected)
        say(_("Envelope {path}:").format(path=shown(args.file)))
        _print_checks(report.checks)
        checks += report.checks
    return Exit.OK if _verdict(checks) else Exit.FAILED


def _folder_files(folder: Path) -> dict[str, Path]:
    """The files of a folder by SHA-256 (any names: files are matched by their content)."""
    try:
        return {
            hashlib.sha256(path.read_bytes()).hexdigest(): path
            for path in folder.iterdir()
            if path.is_file()
        }
    except OSError as error:
        raise UserError(
            N_(
                "The folder of attached files {path} could not be read ({reason}). Check the "
                "name given after --files and try again."
            ),
            path=shown(error.filename or folder),
            reason=error.strerror or error,
        ) from error


def _verify_envelope_file(
    data_dir: Path, data: bytes, folder: Path | None, expected: str | None
) -> VerificationReport:
    """Attachments are looked for in `folder` or, without one, among the files this computer's
    drafts keep; with neither (no drafts database in the data folder), they are not checked,
    and nothing is created."""
    from desktop.core.signing import verify_submission  # noqa: PLC0415
    from desktop.core.store.database import DATABASE_NAME  # noqa: PLC0415
    from sync.verify import verify_envelope  # noqa: PLC0415

    if folder is not None:
        files = _folder_files(folder)
        return verify_envelope(
            data,
            lambda sha: files[sha].read_bytes() if sha in files else None,
            expected_kid=expected,
        )
    if not (data_dir / DATABASE_NAME).is_file():
        return verify_envelope(data, None, expected_kid=expected)
    store = DraftsStore.open(data_dir)
    try:
        return verify_submission(store, data, expected_kid=expected)
    finally:
        store.close()
