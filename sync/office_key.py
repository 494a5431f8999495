"""The office key: one ECDSA P-256 key per office, kept on disk wrapped under a passphrase.

A thief who copies the key file can try passphrases offline for as long as they like, so the
private key is wrapped with Argon2id (memory-hard) and ChaCha20-Poly1305 rather than PKCS#8's
"best available" encryption (PBKDF2, 2,048 rounds). The file is canonical JSON (RFC 8785, no
whitespace) and carries the public part in the clear, so the app, the command line and a person
can tell whose key it is without the passphrase. A SHA-256 checksum over the whole file tells a
damaged file from a wrong passphrase: a damaged file says "restore the backup", a wrong passphrase
says "try again", and neither ever changes a byte on disk. docs/FORMATS.md states the format byte
for byte.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from i18n.errors import UserError
from i18n.formatting import isolate
from i18n.translate import N_, _
from sync.certificate import kid_named_in, self_signed_certificate
from sync.durable import check_target, write_atomically
from sync.jose import (
    b64url_decode,
    b64url_encode,
    fingerprint_groups,
    public_jwk,
    public_key_from_jwk,
    thumbprint,
)

FORMAT = "hrcities-office-key/1"
FORMAT_FAMILY = "hrcities-office-key/"
KDF_ALGORITHM = "argon2id"
ARGON2_VERSION = 0x13  # Argon2 v1.3, the version `cryptography` (and RFC 9106) implements
CIPHER_ALGORITHM = "chacha20-poly1305"
KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
MIN_PASSPHRASE_LENGTH = 12
ACCEPTABLE_SCORE = 3
# zxcvbn refuses longer inputs; anything past 72 characters only adds strength anyway.
ZXCVBN_MAX_LENGTH = 72

# A key file is about 2 KB; anything much larger is not one (and is not read whole into memory).
MAX_FILE_BYTES = 64 * 1024
MAX_CIPHERTEXT_BYTES = 4096
# Bounds on what a file may ask of the computer: a damaged or crafted file must not make the app
# allocate gigabytes or spin for minutes before saying it is wrong. 1 GiB fits the 2 GB PCs.
MAX_ITERATIONS = 64
MAX_LANES = 16
MAX_MEMORY_COST = 1024 * 1024  # KiB

KEYS_FOLDER = "keys"
KEY_FILE_NAME = "office-key.json"
_STAMP = "%Y%m%dT%H%M%SZ"

_KDF_FIELDS = {"algorithm", "iterations", "lanes", "memory_cost", "salt", "version"}
_ENCRYPTION_FIELDS = {"algorithm", "nonce"}
_JWK_FIELDS = {"kty", "crv", "x", "y"}
_FIELDS = {
    "format",
    "office_name",
    "created_at",
    "kid",
    "public_jwk",
    "certificate",
    "kdf",
    "encryption",
    "encrypted_private_key",
    "checksum",
}
# The AAD leaves out what cannot be known before encrypting (the ciphertext itself) and the
# checksum (computed over the ciphertext); everything else is bound to the private key.
_NOT_IN_AAD = ("encrypted_private_key", "checksum")


class WrongPassphrase(UserError):
    """The passphrase does not open this (intact) key file."""

    code = "wrong_passphrase"


class DamagedKeyFile(UserError):
    """The key file is not a whole, consistent office key file; only a backup can help."""

    code = "damaged_key_file"


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


@dataclass(frozen=True)
class KdfParameters:
    """Argon2id cost parameters; `memory_cost` is in KiB, as RFC 9106 and `cryptography` count."""

    iterations: int
    lanes: int
    memory_cost: int

    def __post_init__(self) -> None:
        for name in ("iterations", "lanes", "memory_cost"):
            if type(getattr(self, name)) is not int:
                raise ValueError(f"{name} must be an int")
        if not 1 <= self.iterations <= MAX_ITERATIONS:
            raise ValueError(f"iterations must be 1 to {MAX_ITERATIONS}")
        if not 1 <= self.lanes <= MAX_LANES:
            raise ValueError(f"lanes must be 1 to {MAX_LANES}")
        if not 8 * self.lanes <= self.memory_cost <= MAX_MEMORY_COST:
            raise ValueError(f"memory_cost must be 8 * lanes to {MAX_MEMORY_COST} KiB")


# Measured on the 2-core reference machine (bench/sign.py reports it): unlocking takes about half
# a second there, so an older PC stays within a couple of seconds, and 256 MiB per guess makes
# guessing on graphics cards slow. RFC 9106's second recommendation is 3 passes, 4 lanes, 64 MiB.
DEFAULT_KDF = KdfParameters(iterations=3, lanes=4, memory_cost=256 * 1024)
# For tests only: the smallest parameters Argon2id accepts. Never for a real key.
TEST_KDF = KdfParameters(iterations=1, lanes=1, memory_cost=8)


@dataclass(frozen=True)
class OfficeKey:
    """An unlocked office key: what signing needs. It exists only in memory, never on disk."""

    office_name: str
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    certificate: x509.Certificate = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.private_key.curve, ec.SECP256R1):
            raise ValueError("office keys are ECDSA P-256")
        if self.certificate.public_key() != self.private_key.public_key():
            raise ValueError("the certificate is not on this key")

    @property
    def public_jwk(self) -> dict[str, str]:
        """The public key as a JWK (kty, crv, x, y): what envelopes carry."""
        return public_jwk(self.private_key.public_key())

    @property
    def kid(self) -> str:
        """The key id: the RFC 7638 thumbprint of `public_jwk`."""
        return thumbprint(self.public_jwk)

    @property
    def fingerprint(self) -> str:
        """The key id in short groups, as people compare it."""
        return fingerprint_groups(self.kid)


@dataclass(frozen=True)
class KeyFileInfo:
    """What a key file tells without its passphrase: whose key it is and how it is protected."""

    office_name: str
    kid: str
    fingerprint: str
    public_jwk: dict[str, str]
    certificate: x509.Certificate = field(repr=False)
    created_at: str
    kdf: KdfParameters


@dataclass(frozen=True)
class PassphraseHint:
    """How well a passphrase would protect the key, and what to do about it (translated)."""

    score: int
    acceptable: bool
    message: str


@dataclass(frozen=True)
class _KeyFile:
    """A parsed, checked key file: the public part plus what unlocking needs."""

    info: KeyFileInfo
    document: dict[str, Any]
    salt: bytes
    nonce: bytes
    ciphertext: bytes


# --- the file format ------------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) canonical JSON for the values a key file holds (strings, ints, objects).

    Sorted keys, no whitespace, UTF-8, only the escapes JSON requires; for these values Python's
    encoder with these options writes exactly the JCS bytes.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def _aad(document: dict[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in document.items() if k not in _NOT_IN_AAD})


def _checksum(document: dict[str, Any]) -> str:
    return hashlib.sha256(
        canonical_json({k: v for k, v in document.items() if k != "checksum"})
    ).hexdigest()


def _passphrase_bytes(passphrase: str) -> bytes:
    """NFC first: the same passphrase typed on another system may arrive in another normal form."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def _wrapping_key(passphrase: str, salt: bytes, kdf: KdfParameters) -> bytes:
    return Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=kdf.iterations,
        lanes=kdf.lanes,
        memory_cost=kdf.memory_cost,
    ).derive(_passphrase_bytes(passphrase))


def _now_text() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _seal(key: OfficeKey, created_at: str, passphrase: str, kdf: KdfParameters) -> bytes:
    """The key file bytes for `key` under `passphrase`, with a fresh salt and nonce."""
    if not passphrase:
        raise WeakPassphrase(
            N_(
                "An empty passphrase cannot protect the office key. Choose a passphrase of at "
                "least {minimum} characters, for example four or five unrelated words."
            ),
            minimum=MIN_PASSPHRASE_LENGTH,
        )
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    document: dict[str, Any] = {
        "format": FORMAT,
        "office_name": key.office_name,
        "created_at": created_at,
        "kid": key.kid,
        "public_jwk": key.public_jwk,
        "certificate": base64.b64encode(
            key.certificate.public_bytes(serialization.Encoding.DER)
        ).decode("ascii"),
        "kdf": {
            "algorithm": KDF_ALGORITHM,
            "version": ARGON2_VERSION,
            "iterations": kdf.iterations,
            "lanes": kdf.lanes,
            "memory_cost": kdf.memory_cost,
            "salt": b64url_encode(salt),
        },
        "encryption": {"algorithm": CIPHER_ALGORITHM, "nonce": b64url_encode(nonce)},
    }
    plaintext = key.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    wrapping_key = _wrapping_key(passphrase, salt, kdf)
    ciphertext = ChaCha20Poly1305(wrapping_key).encrypt(nonce, plaintext, _aad(document))
    document["encrypted_private_key"] = b64url_encode(ciphertext)
    document["checksum"] = _checksum(document)
    return canonical_json(document)


def _damaged(reason: str) -> DamagedKeyFile:
    """The one message for a damaged key file; `reason` is for logs and tests, not shown."""
    return DamagedKeyFile(
        N_(
            "The office key file is damaged and cannot be used. Nothing was changed. Restore the "
            'office key from its backup: choose "Import a backup" in the office key screen, or '
            'run "hrcities keys import" with the backup file.'
        ),
        reason=reason,
    )


def _object(value: Any, fields: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != fields:
        raise _damaged(f"{what}: not an object with exactly {sorted(fields)}")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise _damaged(f"{what}: not a non-empty string")
    return value


def _whole_number(value: Any, what: str) -> int:
    if type(value) is not int:
        raise _damaged(f"{what}: not an integer")
    return value


def _b64url_bytes(value: Any, what: str) -> bytes:
    try:
        return b64url_decode(_text(value, what))
    except ValueError as error:
        raise _damaged(f"{what}: not base64url") from error


def _load_document(data: bytes) -> dict[str, Any]:
    """The JSON object of a key file, which must be exactly its own canonical form.

    Requiring the canonical bytes means no byte of the file is free: any change is either
    invalid JSON, a different value (caught by the checksum) or a non-canonical spelling.
    """
    if not isinstance(data, bytes) or len(data) > MAX_FILE_BYTES:
        raise _damaged("not a key file (type or size)")
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as error:
        raise _damaged("not UTF-8 JSON") from error
    if not isinstance(document, dict):
        raise _damaged("not a JSON object")
    file_format = document.get("format")
    if isinstance(file_format, str) and file_format.startswith(FORMAT_FAMILY):
        if file_format != FORMAT:
            raise DamagedKeyFile(
                N_(
                    "This office key file was made by a newer version of hrcities ({format}). "
                    "Update hrcities on this computer to use it, or import a backup made with "
                    "this version."
                ),
                format=file_format,
                reason="unknown format version",
            )
    elif file_format != FORMAT:
        raise _damaged("no office key format tag")
    try:
        canonical = canonical_json(document)
    except (ValueError, RecursionError) as error:
        raise _damaged("not canonical JSON") from error
    if canonical != data:
        raise _damaged("not canonical JSON")
    return _object(document, _FIELDS, "file")


def _certificate(value: Any) -> x509.Certificate:
    text = _text(value, "certificate")
    try:
        der = base64.b64decode(text, validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (ValueError, binascii.Error) as error:
        raise _damaged("certificate: not base64 DER") from error
    if base64.b64encode(der).decode("ascii") != text:
        raise _damaged("certificate: not canonical base64")
    return certificate


def _check_certificate(certificate: x509.Certificate, jwk: dict[str, str], kid: str) -> None:
    """The certificate must be the office's own: on this key, naming this key id, self-signed."""
    try:
        public_key = certificate.public_key()
        named = kid_named_in(certificate)
        certificate.verify_directly_issued_by(certificate)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm) as error:
        raise _damaged("certificate: unusable or not self-signed") from error
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise _damaged("certificate: not on a P-256 key")
    if public_jwk(public_key) != jwk:
        raise _damaged("certificate: on another key")
    if named != kid:
        raise _damaged("certificate: subject serialNumber is not the key id")


def _kdf_parameters(value: Any) -> tuple[KdfParameters, bytes]:
    kdf = _object(value, _KDF_FIELDS, "kdf")
    if kdf["algorithm"] != KDF_ALGORITHM or kdf["version"] != ARGON2_VERSION:
        raise _damaged("kdf: not Argon2id v1.3")
    try:
        parameters = KdfParameters(
            iterations=_whole_number(kdf["iterations"], "kdf.iterations"),
            lanes=_whole_number(kdf["lanes"], "kdf.lanes"),
            memory_cost=_whole_number(kdf["memory_cost"], "kdf.memory_cost"),
        )
    except ValueError as error:
        raise _damaged(f"kdf: {error}") from error
    salt = _b64url_bytes(kdf["salt"], "kdf.salt")
    if len(salt) != SALT_BYTES:
        raise _damaged("kdf.salt: not 16 bytes")
    return parameters, salt


def _parse(data: bytes) -> _KeyFile:
    """Check everything that can be checked without the passphrase; raise DamagedKeyFile."""
    document = _load_document(data)
    if document["checksum"] != _checksum(document):
        raise _damaged("checksum mismatch")
    office_name = _text(document["office_name"], "office_name")
    created_at = _text(document["created_at"], "created_at")
    try:
        moment = dt.datetime.fromisoformat(created_at)
    except ValueError as error:
        raise _damaged("created_at: not ISO 8601") from error
    if moment.tzinfo is None:
        raise _damaged("created_at: no time zone")
    jwk = _object(document["public_jwk"], _JWK_FIELDS, "public_jwk")
    try:
        public_key_from_jwk(jwk)
    except ValueError as error:
        raise _damaged("public_jwk: not a P-256 public key") from error
    kid = _text(document["kid"], "kid")
    if kid != thumbprint(jwk):
        raise _damaged("kid: not the thumbprint of public_jwk")
    certificate = _certificate(document["certificate"])
    _check_certificate(certificate, jwk, kid)
    kdf, salt = _kdf_parameters(document["kdf"])
    encryption = _object(document["encryption"], _ENCRYPTION_FIELDS, "encryption")
    if encryption["algorithm"] != CIPHER_ALGORITHM:
        raise _damaged("encryption: not ChaCha20-Poly1305")
    nonce = _b64url_bytes(encryption["nonce"], "encryption.nonce")
    if len(nonce) != NONCE_BYTES:
        raise _damaged("encryption.nonce: not 12 bytes")
    ciphertext = _b64url_bytes(document["encrypted_private_key"], "encrypted_private_key")
    if not TAG_BYTES < len(ciphertext) <= MAX_CIPHERTEXT_BYTES:
        raise _damaged("encrypted_private_key: wrong size")
    info = KeyFileInfo(
        office_name=office_name,
        kid=kid,
        fingerprint=fingerprint_groups(kid),
        public_jwk=dict(jwk),
        certificate=certificate,
        created_at=created_at,
        kdf=kdf,
    )
    return _KeyFile(info=info, document=document, salt=salt, nonce=nonce, ciphertext=ciphertext)


# --- making, reading and unlocking ----------------------------------------------------------


def create_key(
    office_name: str, passphrase: str, kdf: KdfParameters = DEFAULT_KDF
) -> tuple[OfficeKey, bytes]:
    """A new office key and its key file bytes; nothing is written to disk here.

    Only an empty passphrase is refused: the screens and the command line hold people to
    `passphrase_hint` (through `require_acceptable_passphrase`) before calling this.
    """
    name = office_name.strip()
    if not name:
        raise OfficeNameRequired(
            N_(
                "Type the name of the office, for example \u201cMayor's office of Kaolack\u201d: "
                "it is shown with every signature the key makes."
            )
        )
    private_key = ec.generate_private_key(ec.SECP256R1())
    key = OfficeKey(
        office_name=name,
        private_key=private_key,
        certificate=self_signed_certificate(private_key, name),
    )
    return key, _seal(key, _now_text(), passphrase, kdf)


def read_key_file(data: bytes) -> KeyFileInfo:
    """The public part of a key file, after checking the file is whole; raises DamagedKeyFile."""
    return _parse(data).info


def unlock(data: bytes, passphrase: str) -> OfficeKey:
    """The office key in a key file; raises WrongPassphrase or DamagedKeyFile.

    The checksum is checked before the passphrase is tried, so a damaged file is never reported
    as a wrong passphrase (which would have people retyping a right passphrase forever).
    """
    key_file = _parse(data)
    info = key_file.info
    wrapping_key = _wrapping_key(passphrase, key_file.salt, info.kdf)
    try:
        plaintext = ChaCha20Poly1305(wrapping_key).decrypt(
            key_file.nonce, key_file.ciphertext, _aad(key_file.document)
        )
    except InvalidTag as error:
        raise WrongPassphrase(
            N_(
                "That passphrase does not unlock the office key. Nothing was changed: type it "
                "again, minding capital letters and the keyboard language."
            )
        ) from error
    try:
        private_key = serialization.load_der_private_key(plaintext, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise _damaged("private key: not PKCS#8 DER") from error
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(
        private_key.curve, ec.SECP256R1
    ):
        raise _damaged("private key: not P-256")
    if public_jwk(private_key.public_key()) != info.public_jwk:
        raise _damaged("private key: does not match public_jwk")
    return OfficeKey(
        office_name=info.office_name, private_key=private_key, certificate=info.certificate
    )


def change_passphrase(data: bytes, old: str, new: str, kdf: KdfParameters = DEFAULT_KDF) -> bytes:
    """The same key (same kid, certificate and creation time) under a new passphrase."""
    key = unlock(data, old)
    return _seal(key, read_key_file(data).created_at, new, kdf)


# --- the passphrase --------------------------------------------------------------------------

_HINT_TOO_SHORT = N_(
    "Too short: use at least {minimum} characters. Four or five unrelated words are easy to "
    "remember and hard to guess."
)
_HINT_GUESSABLE = N_(
    "Easy to guess: add more words that have nothing to do with each other, the office or the "
    "town, and avoid well-known phrases."
)
_HINT_STRONG = N_(
    "Strong enough. Write it down and keep it in a safe place: without it nobody can unlock the "
    "office key, not even the secretariat."
)


def passphrase_hint(passphrase: str, *, context: Sequence[str] = ()) -> PassphraseHint:
    """How well `passphrase` would resist guessing, scored by zxcvbn (0 to 4).

    `context`: words a guesser would try first (the office's name, the town), scored as weak.
    """
    from zxcvbn import zxcvbn  # noqa: PLC0415 - its dictionaries load in 30 ms; not at startup

    score = int(zxcvbn(passphrase[:ZXCVBN_MAX_LENGTH], user_inputs=list(context))["score"])
    long_enough = len(passphrase) >= MIN_PASSPHRASE_LENGTH
    if not long_enough:
        message = _HINT_TOO_SHORT
    elif score < ACCEPTABLE_SCORE:
        message = _HINT_GUESSABLE
    else:
        message = _HINT_STRONG
    return PassphraseHint(
        score=score,
        acceptable=long_enough and score >= ACCEPTABLE_SCORE,
        message=_(message).format(minimum=isolate(MIN_PASSPHRASE_LENGTH)),
    )


def require_acceptable_passphrase(passphrase: str, *, context: Sequence[str] = ()) -> None:
    """Raise WeakPassphrase, saying what to do, unless `passphrase_hint` finds it acceptable."""
    if passphrase_hint(passphrase, context=context).acceptable:
        return
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise WeakPassphrase(_HINT_TOO_SHORT, minimum=MIN_PASSPHRASE_LENGTH)
    raise WeakPassphrase(_HINT_GUESSABLE)


# --- storage in the data folder --------------------------------------------------------------


def key_path(data_dir: Path) -> Path:
    """Where the office key file lives in a data folder."""
    return data_dir / KEYS_FOLDER / KEY_FILE_NAME


def _access_error(path: Path, error: OSError, *, writing: bool) -> KeyFileAccessError:
    reason = error.strerror or type(error).__name__
    if writing:
        return KeyFileAccessError(
            N_(
                "Could not write \u201c{path}\u201d ({reason}). Nothing was changed: check that "
                "the disk or USB stick is connected and has free space, then try again."
            ),
            path=str(path),
            reason=reason,
        )
    return KeyFileAccessError(
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
        except DamagedKeyFile:
            old_kid = None
        if old_kid != new.kid:
            if old_kid is not None and not replace:
                raise KeyExists(
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
        raise NoOfficeKey(
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
        raise KeyFileAccessError(
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
    except DamagedKeyFile as error:
        if error.params.get("reason") == "unknown format version":
            raise
        raise DamagedKeyFile(
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
    except DamagedKeyFile:
        return None
