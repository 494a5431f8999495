"""Making, unlocking and re-locking office keys with their key files (`key_file`).

The order of unlocking matters to people: the whole file is checked before the passphrase is
tried, so a damaged file is never reported as a wrong passphrase (which would have people
retyping a right passphrase forever), and nothing here ever changes a byte on disk: storing is
`storage`.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from i18n.translate import N_
from sync.certificate import self_signed_certificate
from sync.jose import public_jwk
from sync.office_key.errors import OfficeNameRequired, WrongPassphrase, damaged
from sync.office_key.kdf import DEFAULT_KDF, KdfParameters
from sync.office_key.key_file import (
    OfficeKey,
    aad,
    now_text,
    parse,
    read_key_file,
    seal,
    wrapping_key,
)


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
    return key, seal(key, now_text(), passphrase, kdf)


def unlock(data: bytes, passphrase: str) -> OfficeKey:
    """The office key in a key file; raises WrongPassphrase or DamagedKeyFile.

    The checksum is checked before the passphrase is tried, so a damaged file is never reported
    as a wrong passphrase (which would have people retyping a right passphrase forever).
    """
    key_file = parse(data)
    info = key_file.info
    wrapping = wrapping_key(passphrase, key_file.salt, info.kdf)
    try:
        plaintext = ChaCha20Poly1305(wrapping).decrypt(
            key_file.nonce, key_file.ciphertext, aad(key_file.document)
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
        raise damaged("private key: not PKCS#8 DER") from error
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(
        private_key.curve, ec.SECP256R1
    ):
        raise damaged("private key: not P-256")
    if public_jwk(private_key.public_key()) != info.public_jwk:
        raise damaged("private key: does not match public_jwk")
    return OfficeKey(
        office_name=info.office_name, private_key=private_key, certificate=info.certificate
    )


def change_passphrase(data: bytes, old: str, new: str, kdf: KdfParameters = DEFAULT_KDF) -> bytes:
    """The same key (same kid, certificate and creation time) under a new passphrase."""
    return relocked(data, unlock(data, old), new, kdf)


def relocked(
    data: bytes, key: OfficeKey, passphrase: str, kdf: KdfParameters = DEFAULT_KDF
) -> bytes:
    """The key file `data` for `key` (as unlocked from it) sealed again under `passphrase` with
    `kdf`: same key id, certificate and creation time; a fresh salt and nonce."""
    info = read_key_file(data)
    if key.kid != info.kid:
        raise ValueError("the key is not the one of this key file")
    return seal(key, info.created_at, passphrase, kdf)


def rewrapped(data: bytes, key: OfficeKey, passphrase: str) -> bytes | None:
    """The same key file under the same passphrase with today's parameters (DEFAULT_KDF), when
    its own are weaker (`KdfParameters.weaker_than`); None when it needs nothing.

    `key` and `passphrase` must be what `unlock(data, passphrase)` just gave and took.
    """
    if not read_key_file(data).kdf.weaker_than(DEFAULT_KDF):
        return None
    return relocked(data, key, passphrase)
