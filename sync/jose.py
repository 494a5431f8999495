"""The JOSE pieces the envelope and the office key share: base64url, JWK, RFC 7638 thumbprint.

Written against the RFCs with `cryptography` only, so that the formats stay exactly as
docs/FORMATS.md states them; the tests check them with an independent JOSE library.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from sync.canonical_json import canonical_json

P256_COORDINATE_BYTES = 32
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{43}")
_FINGERPRINT = re.compile(r"[A-Za-z0-9_-]{4}( [A-Za-z0-9_-]{4}){7}")


def b64url_encode(data: bytes) -> str:
    """base64url without padding (RFC 7515, section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode canonical base64url without padding; raises ValueError on anything else.

    Only the one spelling `b64url_encode` gives is accepted: lenient decoding would let two
    different texts (a "+" for a "-", stray low bits in the last character) stand for the same
    bytes, and a file changed that way would still verify.
    """
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise ValueError("not base64url") from error
    if b64url_encode(data) != text:
        raise ValueError("not canonical unpadded base64url")
    return data


def public_jwk(public_key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    """The public key as a JWK (RFC 7517/7518): kty, crv, x, y."""
    if not isinstance(public_key.curve, ec.SECP256R1):
        raise ValueError("office keys are ECDSA P-256")
    numbers = public_key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": b64url_encode(numbers.x.to_bytes(P256_COORDINATE_BYTES, "big")),
        "y": b64url_encode(numbers.y.to_bytes(P256_COORDINATE_BYTES, "big")),
    }


def public_key_from_jwk(jwk: Any) -> ec.EllipticCurvePublicKey:
    """The public key of a P-256 JWK; raises ValueError for anything else or an off-curve point."""
    if not isinstance(jwk, dict) or jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise ValueError("not a P-256 EC JWK")
    x, y = b64url_decode(jwk.get("x", "")), b64url_decode(jwk.get("y", ""))
    if len(x) != P256_COORDINATE_BYTES or len(y) != P256_COORDINATE_BYTES:
        raise ValueError("P-256 coordinates are 32 bytes")
    numbers = ec.EllipticCurvePublicNumbers(
        int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
    )
    return numbers.public_key()


def thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url): the office's key id and fingerprint."""
    required = {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"], "y": jwk["y"]}
    return b64url_encode(hashlib.sha256(canonical_json(required)).digest())


def fingerprint_groups(kid: str, group: int = 4, groups: int = 8) -> str:
    """The key id as people read it aloud over the phone: the first characters in short groups.

    8 groups of 4 base64url characters carry 192 bits: enough for a person comparing by eye,
    while the full thumbprint stays in the files and the QR code.
    """
    return " ".join(kid[i : i + group] for i in range(0, group * groups, group))


def key_reference(text: str) -> str:
    """A key as a person gives it: the full key id, or its fingerprint in 8 groups of 4.

    Spaces around and between the groups are forgiven (any run of white space is one space);
    anything else raises ValueError. The result is what `is_key` compares with.
    """
    reference = " ".join(str(text).split())
    if _KEY_ID.fullmatch(reference) or _FINGERPRINT.fullmatch(reference):
        return reference
    raise ValueError("neither a key id nor a fingerprint")


def is_key(kid: str, reference: str) -> bool:
    """Whether `reference` (a key id, or a fingerprint as `fingerprint_groups` writes it) names
    the key `kid`. A fingerprint carries the first 192 bits of the key id: enough that no one
    can make another key with the same fingerprint."""
    try:
        reference = key_reference(reference)
    except ValueError:
        return False
    if " " in reference:
        return fingerprint_groups(kid) == reference
    return kid == reference
