"""The office key: one ECDSA P-256 key per office, kept on disk wrapped under a passphrase.

Everything about it is importable from here (`from sync import office_key`); the parts are:

| module       | owns                                                                      |
| ------------ | ------------------------------------------------------------------------- |
| `errors`     | what can go wrong, each with its own code                                 |
| `kdf`        | the Argon2id parameters, their floor and ceiling, today's default         |
| `key_file`   | the file format (docs/FORMATS.md, section 6): sealing and reading         |
| `locking`    | making, unlocking and re-locking a key with its file                      |
| `passphrase` | how well a passphrase protects the key (zxcvbn)                           |
| `storage`    | the key in the data folder: save, load, backups, unlock (and re-wrap)     |
"""

from __future__ import annotations

from sync.office_key.errors import (
    DamagedKeyFile,
    KeyExists,
    KeyFileAccessError,
    KeyFileTooCostly,
    KeyFileTooWeak,
    NoOfficeKey,
    OfficeNameRequired,
    WeakPassphrase,
    WrongPassphrase,
)
from sync.office_key.kdf import (
    DEFAULT_KDF,
    FLOOR_KDF,
    MAX_ITERATIONS,
    MAX_LANES,
    MAX_MEMORY_COST,
    MIN_ITERATIONS,
    MIN_MEMORY_COST,
    TEST_KDF,
    KdfParameters,
)
from sync.office_key.key_file import FORMAT, MAX_FILE_BYTES, KeyFileInfo, OfficeKey, read_key_file
from sync.office_key.locking import change_passphrase, create_key, relocked, rewrapped, unlock
from sync.office_key.passphrase import (
    MIN_PASSPHRASE_LENGTH,
    PassphraseHint,
    passphrase_hint,
    require_acceptable_passphrase,
)
from sync.office_key.storage import (
    KEY_FILE_NAME,
    KEYS_FOLDER,
    change_stored_passphrase,
    export_backup,
    import_backup,
    key_path,
    load_key_file,
    save_key_file,
    unlock_stored,
)

__all__ = [
    "DEFAULT_KDF",
    "FLOOR_KDF",
    "FORMAT",
    "KEYS_FOLDER",
    "KEY_FILE_NAME",
    "MAX_FILE_BYTES",
    "MAX_ITERATIONS",
    "MAX_LANES",
    "MAX_MEMORY_COST",
    "MIN_ITERATIONS",
    "MIN_MEMORY_COST",
    "MIN_PASSPHRASE_LENGTH",
    "TEST_KDF",
    "DamagedKeyFile",
    "KdfParameters",
    "KeyExists",
    "KeyFileAccessError",
    "KeyFileInfo",
    "KeyFileTooCostly",
    "KeyFileTooWeak",
    "NoOfficeKey",
    "OfficeKey",
    "OfficeNameRequired",
    "PassphraseHint",
    "WeakPassphrase",
    "WrongPassphrase",
    "change_passphrase",
    "change_stored_passphrase",
    "create_key",
    "export_backup",
    "import_backup",
    "key_path",
    "load_key_file",
    "passphrase_hint",
    "read_key_file",
    "relocked",
    "require_acceptable_passphrase",
    "rewrapped",
    "save_key_file",
    "unlock",
    "unlock_stored",
]
