"""The office key file: its format, sealing a key into it and reading it back (`read_key_file`).

A thief who copies the key file can try passphrases offline for as long as they like, so the
private key is wrapped with Argon2id (memory-hard, `sync.office_key.kdf`) and ChaCha20-Poly1305
rather than PKCS#8's "best available" encryption (PBKDF2, 2,048 rounds). The file is canonical
JSON (RFC 8785, no whitespace) and carries the public part in the clear, so the app, the command
line and a person can tell whose key it is without the passphrase. A SHA-256 checksum over the
whole file tells a damaged file from a wrong passphrase, and neither ever changes a byte on
disk. docs/FORMATS.md (section 6) states the format byte for byte.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import secrets
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from i18n.translate import N_
from sync.canonical_json import canonical_json
from sync.certificate import kid_named_in
from sync.jose import (
    b64url_decode,
    b64url_encode,
    fingerprint_groups,
    public_jwk,
    public_key_from_jwk,
    thumbprint,
)
from sync.office_key.errors import (
    DamagedKeyFile,
    damaged,
)
from sync.office_key.kdf import (
    KdfParameters,
    not_enough_memory,
    parameters_in_bounds,
)
from sync.office_key.passphrase import require_passphrase

FORMAT = "hrcities-office-key/1"
FORMAT_FAMILY = "hrcities-office-key/"
KDF_ALGORITHM = "argon2id"
ARGON2_VERSION = 0x13  # Argon2 v1.3, the version `cryptography` (and RFC 9106) implements
CIPHER_ALGORITHM = "chacha20-poly1305"
KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16

# A key file is about 2 KB; anything much larger is not one (and is not read whole into memory).
MAX_FILE_BYTES = 64 * 1024
MAX_CIPHERTEXT_BYTES = 4096
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
class _KeyFile:
    """A parsed, checked key file: the public part plus what unlocking needs."""

    info: KeyFileInfo
    document: dict[str, Any]
    salt: bytes
    nonce: bytes
    ciphertext: bytes


# --- the file format ------------------------------------------------------------------------


def aad(document: dict[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in document.items() if k not in _NOT_IN_AAD})


def _checksum(document: dict[str, Any]) -> str:
    return hashlib.sha256(
        canonical_json({k: v for k, v in document.items() if k != "checksum"})
    ).hexdigest()


def _passphrase_bytes(passphrase: str) -> bytes:
    """NFC first: the same passphrase typed on another system may arrive in another normal form."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def wrapping_key(passphrase: str, salt: bytes, kdf: KdfParameters) -> bytes:
    """Argon2id over the passphrase; KeyFileTooCostly when this computer lacks the memory."""
    try:
        return Argon2id(
            salt=salt,
            length=KEY_BYTES,
            iterations=kdf.iterations,
            lanes=kdf.lanes,
            memory_cost=kdf.memory_cost,
        ).derive(_passphrase_bytes(passphrase))
    except MemoryError as error:
        raise not_enough_memory(kdf) from error


def now_text() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def seal(key: OfficeKey, created_at: str, passphrase: str, kdf: KdfParameters) -> bytes:
    """The key file bytes for `key` under `passphrase`, with a fresh salt and nonce."""
    require_passphrase(passphrase)
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
    wrapping = wrapping_key(passphrase, salt, kdf)
    ciphertext = ChaCha20Poly1305(wrapping).encrypt(nonce, plaintext, aad(document))
    document["encrypted_private_key"] = b64url_encode(ciphertext)
    document["checksum"] = _checksum(document)
    return canonical_json(document)


def _object(value: Any, fields: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != fields:
        raise damaged(f"{what}: not an object with exactly {sorted(fields)}")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise damaged(f"{what}: not a non-empty string")
    return value


def _b64url_bytes(value: Any, what: str) -> bytes:
    try:
        return b64url_decode(_text(value, what))
    except ValueError as error:
        raise damaged(f"{what}: not base64url") from error


def _load_document(data: bytes) -> dict[str, Any]:
    """The JSON object of a key file, which must be exactly its own canonical form.

    Requiring the canonical bytes means no byte of the file is free: any change is either
    invalid JSON, a different value (caught by the checksum) or a non-canonical spelling.
    """
    if not isinstance(data, bytes) or len(data) > MAX_FILE_BYTES:
        raise damaged("not a key file (type or size)")
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as error:
        raise damaged("not UTF-8 JSON") from error
    if not isinstance(document, dict):
        raise damaged("not a JSON object")
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
        raise damaged("no office key format tag")
    try:
        canonical = canonical_json(document)
    except (ValueError, RecursionError) as error:
        raise damaged("not canonical JSON") from error
    if canonical != data:
        raise damaged("not canonical JSON")
    return _object(document, _FIELDS, "file")


def _certificate(value: Any) -> x509.Certificate:
    text = _text(value, "certificate")
    try:
        der = base64.b64decode(text, validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (ValueError, binascii.Error) as error:
        raise damaged("certificate: not base64 DER") from error
    if base64.b64encode(der).decode("ascii") != text:
        raise damaged("certificate: not canonical base64")
    return certificate


def _check_certificate(certificate: x509.Certificate, jwk: dict[str, str], kid: str) -> None:
    """The certificate must be the office's own: on this key, naming this key id, self-signed."""
    try:
        public_key = certificate.public_key()
        named = kid_named_in(certificate)
        certificate.verify_directly_issued_by(certificate)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm) as error:
        raise damaged("certificate: unusable or not self-signed") from error
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise damaged("certificate: not on a P-256 key")
    if public_jwk(public_key) != jwk:
        raise damaged("certificate: on another key")
    if named != kid:
        raise damaged("certificate: subject serialNumber is not the key id")


def _kdf_parameters(value: Any) -> tuple[KdfParameters, bytes]:
    kdf = _object(value, _KDF_FIELDS, "kdf")
    if kdf["algorithm"] != KDF_ALGORITHM or kdf["version"] != ARGON2_VERSION:
        raise damaged("kdf: not Argon2id v1.3")
    parameters = parameters_in_bounds(kdf["iterations"], kdf["lanes"], kdf["memory_cost"])
    salt = _b64url_bytes(kdf["salt"], "kdf.salt")
    if len(salt) != SALT_BYTES:
        raise damaged("kdf.salt: not 16 bytes")
    return parameters, salt


def parse(data: bytes) -> _KeyFile:
    """Check everything that can be checked without the passphrase; raise DamagedKeyFile."""
    document = _load_document(data)
    if document["checksum"] != _checksum(document):
        raise damaged("checksum mismatch")
    office_name = _text(document["office_name"], "office_name")
    created_at = _text(document["created_at"], "created_at")
    try:
        moment = dt.datetime.fromisoformat(created_at)
    except ValueError as error:
        raise damaged("created_at: not ISO 8601") from error
    if moment.tzinfo is None:
        raise damaged("created_at: no time zone")
    jwk = _object(document["public_jwk"], _JWK_FIELDS, "public_jwk")
    try:
        public_key_from_jwk(jwk)
    except ValueError as error:
        raise damaged("public_jwk: not a P-256 public key") from error
    kid = _text(document["kid"], "kid")
    if kid != thumbprint(jwk):
        raise damaged("kid: not the thumbprint of public_jwk")
    certificate = _certificate(document["certificate"])
    _check_certificate(certificate, jwk, kid)
    kdf, salt = _kdf_parameters(document["kdf"])
    encryption = _object(document["encryption"], _ENCRYPTION_FIELDS, "encryption")
    if encryption["algorithm"] != CIPHER_ALGORITHM:
        raise damaged("encryption: not ChaCha20-Poly1305")
    nonce = _b64url_bytes(encryption["nonce"], "encryption.nonce")
    if len(nonce) != NONCE_BYTES:
        raise damaged("encryption.nonce: not 12 bytes")
    ciphertext = _b64url_bytes(document["encrypted_private_key"], "encrypted_private_key")
    if not TAG_BYTES < len(ciphertext) <= MAX_CIPHERTEXT_BYTES:
        raise damaged("encrypted_private_key: wrong size")
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


def read_key_file(data: bytes) -> KeyFileInfo:
    """The public part of a key file, after checking the file is whole; raises DamagedKeyFile."""
    return parse(data).info
