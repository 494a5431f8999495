"""What can go wrong with the office key, each with its own code and a message saying what to do.

A damaged file says "restore the backup", a wrong passphrase says "try again", and a file whose
key derivation is out of bounds says which way (too weak to trust, too costly to try): the three
call for different actions, so they are never one message.
"""

from __future__ import annotations

from i18n.errors import UserError
from i18n.translate import N_


class WrongPassphrase(UserError):
    """The passphrase does not open this (intact) key file."""

    code = "wrong_passphrase"


class DamagedKeyFile(UserError):
    """The key file is not a whole, consistent office key file; only a backup can help."""

    code = "damaged_key_file"


class KeyFileTooWeak(DamagedKeyFile):
    """A whole key file whose key derivation is below the floor: this app never made it."""

    code = "key_file_too_weak"


class KeyFileTooCostly(DamagedKeyFile):
    """A whole key file whose key derivation would ask more of a computer than the app allows."""

    code = "key_file_too_costly"


class NoOfficeKey(UserError):
    """The data folder holds no office key yet."""

    code = "no_office_key"


class KeyExists(UserError):
    """Saving would replace another office's key, which only an explicit choice may do."""

    code = "key_exists"


class WeakPassphrase(UserError):
    """The passphrase would protect the key too poorly against someone who copies the file."""

    code = "weak_passphrase"


class OfficeNameRequired(UserError):
    """A key needs the office's name: it is shown on every signature it makes."""

    code = "office_name_required"


class KeyFileAccessError(UserError):
    """A key or backup file could not be read or written (a missing file, a removed USB stick)."""

    code = "key_file_access"


def damaged(reason: str) -> DamagedKeyFile:
    """The one message for a damaged key file; `reason` is for logs and tests, not shown."""
    return DamagedKeyFile(
        N_(
            "The office key file is damaged and cannot be used. Nothing was changed. Restore the "
            'office key from its backup: choose "Import a backup" in the office key screen, or '
            'run "hrcities keys import" with the backup file.'
        ),
        reason=reason,
    )
