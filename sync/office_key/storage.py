"""The office key in the data folder: where it lives, saving, backups, and unlocking it.

A key is never lost: replacing another office's key needs an explicit choice and keeps the old
file aside; every write goes through a temporary file, so the path always holds the old bytes or
the new ones, never half. Unlocking the data folder's key (`unlock_stored`) is the one way the
window's signing screen, `hrcities sign` and `hrcities keys passwd` open it, so a key file made
with weaker parameters than today's is re-wrapped, whichever way it is next unlocked.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from i18n.translate import N_
from sync.durable import check_target, write_atomically
from sync.jose import fingerprint_groups
from sync.office_key import errors
from sync.office_key.key_file import MAX_FILE_BYTES, KeyFileInfo, OfficeKey, read_key_file
from sync.office_key.locking import relocked, rewrapped, unlock

KEYS_FOLDER = "keys"
KEY_FILE_NAME = "office-key.json"
_STAMP = "%Y%m%dT%H%M%SZ"


def key_path(data_dir: Path) -> Path:
    """Where the office key file lives in a data folder."""
    return data_dir / KEYS_FOLDER / KEY_FILE_NAME


def _access_error(path: Path, error: OSError, *, writing: bool) -> errors.KeyFileAccessError:
    reason = error.strerror or type(error).__name__
    if writing:
        return errors.KeyFileAccessError(
            N_(
                "Could not write \u201c{path}\u201d ({reason}). Nothing was changed: check that "
                "the disk or USB stick is connected and has free space, then try again."
            ),
            path=str(path),
            reason=reason,
        )
    return errors.KeyFileAccessError(
        N_(
            "Could not read \u201c{path}\u201d ({reason}). Check that the disk or USB stick is "
            "connected and the file is there, then try again."
        ),
        path=str(path),
        reason=reason,
    )


def _write_atomically(path: Path, data: bytes, *, make_folder: bool = True) -> None:
    """Write through a temporary file in the same folder: the path holds the old or new bytes."""
    try:
        write_atomically(path, data, private=True, make_folder=make_folder)
    except OSError as error:
        raise _access_error(path, error, writing=True) from error


def _read_small(path: Path) -> bytes:
    """A key-sized file; anything larger is returned cut, and then fails as damaged."""
    try:
        with path.open("rb") as file:
            return file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise _access_error(path, error, writing=False) from error


def _keep_aside(path: Path, data: bytes) -> None:
    """Keep the bytes of a key about to be replaced beside it: a replaced key is never lost."""
    stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
    stem, suffix = path.name.removesuffix(".json"), ".json"
    aside = path.with_name(f"{stem}.replaced-{stamp}{suffix}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{stem}.replaced-{stamp}-{number}{suffix}")
    _write_atomically(aside, data)


def save_key_file(data_dir: Path, data: bytes, replace: bool = False) -> None:
    """Store key file bytes as the data folder's office key; raises KeyExists or DamagedKeyFile.

    The same key (e.g. after a passphrase change) is simply overwritten. Another office's key is
    replaced only with `replace=True`; a damaged file may always be replaced (restoring a backup
    is the remedy for it). Either is first kept aside as office-key.replaced-<UTC time>.json.
    """
    new = read_key_file(data)
    path = key_path(data_dir)
    if path.exists():
        existing = _read_small(path)
        if existing == data:
            return
        try:
            old_kid: str | None = read_key_file(existing).kid
        except errors.DamagedKeyFile:
            old_kid = None
        if old_kid != new.kid:
            if old_kid is not None and not replace:
                raise errors.KeyExists(
                    N_(
                        "This computer already has another office key ({fingerprint}). Nothing "
                        "was changed. To replace it anyway, confirm the replacement (on the "
                        "command line: --replace); the current key is then kept aside in the "
                        "keys folder."
                    ),
                    fingerprint=fingerprint_groups(old_kid),
                )
            _keep_aside(path, existing)
    _write_atomically(path, data)


def load_key_file(data_dir: Path) -> bytes:
    """The bytes of the data folder's key file; raises NoOfficeKey when there is none."""
    path = key_path(data_dir)
    if not path.exists():
        raise errors.NoOfficeKey(
            N_(
                "This computer has no office key yet. Create the office key, or import a backup "
                'of it ("hrcities keys create" or "hrcities keys import" on the command line).'
            )
        )
    return _read_small(path)


def export_backup(data_dir: Path, target: Path, *, replace: bool = False) -> Path:
    """Copy the (still encrypted) key file to `target`, read it back, and return where it is.

    Refuses a damaged key, a folder that does not exist (a mistyped path must not put the only
    backup on the local disk instead of the USB stick) and an existing file unless `replace`.
    """
    data = load_key_file(data_dir)
    read_key_file(data)
    check_target(target, replace=replace)
    _write_atomically(target, data, make_folder=False)
    if _read_small(target) != data:
        raise errors.KeyFileAccessError(
            N_(
                "The backup written to \u201c{path}\u201d reads back differently: the disk or "
                "USB stick may be failing. Write the backup to another one."
            ),
            path=str(target),
        )
    return target.resolve()


def import_backup(data_dir: Path, source: Path, replace: bool = False) -> KeyFileInfo:
    """Make the backup at `source` the data folder's key; checked whole before anything changes."""
    data = _read_small(source)
    try:
        info = read_key_file(data)
    except errors.DamagedKeyFile as error:
        # These say what is wrong with the file better than "not a usable backup" would.
        if error.params.get("reason") == "unknown format version" or isinstance(
            error, (errors.KeyFileTooWeak, errors.KeyFileTooCostly)
        ):
            raise
        raise errors.DamagedKeyFile(
            N_(
                "\u201c{path}\u201d is not a usable office key backup: it is damaged or is not a "
                "key file. Nothing was changed. Choose another copy of the backup."
            ),
            path=str(source),
            reason=error.params.get("reason"),
        ) from error
    path = key_path(data_dir)
    if path.exists():
        existing = _read_small(path)
        # An older backup of the same key may be locked by an older passphrase: the file in use
        # is kept aside rather than overwritten, so neither passphrase's file is ever lost.
        if existing != data and _kid_or_none(existing) == info.kid:
            _keep_aside(path, existing)
    save_key_file(data_dir, data, replace=replace)
    return info


def _kid_or_none(data: bytes) -> str | None:
    try:
        return read_key_file(data).kid
    except errors.DamagedKeyFile:
        return None


def unlock_stored(data_dir: Path, passphrase: str) -> OfficeKey:
    """The data folder's office key, unlocked; raises NoOfficeKey, WrongPassphrase or
    DamagedKeyFile (and its KeyFileTooWeak, KeyFileTooCostly).

    A file whose parameters are weaker than today's is then re-wrapped with today's, under the
    same passphrase and key id, and written in place atomically: the old file stays whole until
    the new one is on the disk. Re-wrapping is skipped if the file changed meanwhile (another
    window imported a backup, say), and a failed write is not an error: the key is unlocked
    either way, and the next unlock tries again.
    """
    return _unlock_stored(data_dir, passphrase)[0]


def _unlock_stored(data_dir: Path, passphrase: str) -> tuple[OfficeKey, bytes]:
    """`unlock_stored`, and the key file bytes it leaves in the data folder."""
    data = load_key_file(data_dir)
    key = unlock(data, passphrase)
    stronger = rewrapped(data, key, passphrase)
    if stronger is None:
        return key, data
    path = key_path(data_dir)
    try:
        if _read_small(path) != data:
            return key, data
        _write_atomically(path, stronger)
    except errors.KeyFileAccessError:
        return key, data  # a read-only disk: signing must still work; the next unlock retries
    return key, stronger


def change_stored_passphrase(data_dir: Path, old: str, new: str) -> KeyFileInfo:
    """Lock the data folder's key under a new passphrase, with today's parameters.

    Unlocks as signing does (`unlock_stored`) and raises as it does, and WeakPassphrase for
    an empty new passphrase; a key replaced meanwhile by another office's is not overwritten
    (KeyExists).
    """
    key, data = _unlock_stored(data_dir, old)
    changed = relocked(data, key, new)
    save_key_file(data_dir, changed)
    return read_key_file(changed)
