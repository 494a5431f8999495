"""The envelope: a signed submission, as a JWS (RFC 7515) in flattened JSON serialization.

The payload is the submission as UTF-8 JSON; its bytes are signed as they are and kept as they
are, never parsed and written again, so what the secretariat checks is exactly what the mayor's
office signed. The protected header names the office key (`kid`, its RFC 7638 thumbprint) and
carries the public key itself (`jwk`), so anyone can check the signature with a standard JOSE
library, and the secretariat can compare the fingerprint with the one it learnt before.

Reading is strict on purpose: one algorithm (ES256), no unprotected header, no extensions, only
canonical base64url, only the low-S form of a signature, a size no real envelope reaches. Every
other way to write "the same" envelope is one more way to slip something past a checker;
docs/FORMATS.md states the format byte for byte.

This module reads and writes the JWS; the payload inside it is `sync.payload`; judging an
envelope (signature, attachments, answers, what the signature means) is
`sync.verify.verify_envelope`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from i18n.translate import N_
from sync.canonical_json import MAX_JSON_DEPTH, canonical_json, strict_json
from sync.jose import P256_COORDINATE_BYTES, b64url_decode, b64url_encode, public_key_from_jwk
from sync.payload import (
    KEY_ID,
    MAX_SHOWN,
    PAYLOAD_FIELDS,
    SIGNATURE_IMAGE_TYPES,
    SUBMISSION_FORMAT,
    EnvelopeError,
    build_payload,
    decode_payload,
    shown,
)

if TYPE_CHECKING:
    from sync.office_key import OfficeKey

# Kept importable from here, where they lived before the payload had a module of its own.
__all__ = [
    "ALGORITHM",
    "ENVELOPE_TYPE",
    "MAX_ENVELOPE_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_SHOWN",
    "PAYLOAD_FIELDS",
    "SIGNATURE_IMAGE_TYPES",
    "SUBMISSION_FORMAT",
    "Envelope",
    "EnvelopeError",
    "RawJws",
    "build_payload",
    "canonical_json",
    "decode_header",
    "decode_payload",
    "parse_envelope",
    "read_jws",
    "shown",
    "sign_envelope",
    "sign_jws",
    "signature_matches",
    "signature_problem",
    "strict_json",
]

ENVELOPE_TYPE = "hrcities-envelope+jws"
ALGORITHM = "ES256"
SIGNATURE_BYTES = 2 * P256_COORDINATE_BYTES
# The order n of the P-256 group. (r, s) and (r, n - s) are both valid signatures of the same
# input: only the low one (s <= n / 2) is written and accepted, so nobody can make a second
# valid envelope from a signed one without the key.
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
# An envelope holds text answers and hashes, never files: a few hundred KB at most. Anything
# over this is refused before it is parsed, so nobody can make a checker read gigabytes.
MAX_ENVELOPE_BYTES = 8 * 1024 * 1024

ENVELOPE_MEMBERS = frozenset({"protected", "payload", "signature"})
HEADER_MEMBERS = frozenset({"alg", "typ", "kid", "jwk"})
JWK_MEMBERS = frozenset({"kty", "crv", "x", "y"})


@dataclass(frozen=True)
class RawJws:
    """The three parts of a flattened JWS, decoded but not yet interpreted."""

    protected_b64: str
    payload_b64: str
    protected_bytes: bytes
    payload_bytes: bytes
    signature: bytes

    @property
    def signing_input(self) -> bytes:
        """What the signature covers (RFC 7515, section 5.1): the two base64url texts."""
        return f"{self.protected_b64}.{self.payload_b64}".encode("ascii")


@dataclass(frozen=True)
class Envelope:
    """A read envelope. Reading checks the form of every part, never the signature."""

    header: dict[str, Any]
    payload_bytes: bytes
    payload: dict[str, Any]
    signature: bytes
    protected_b64: str
    payload_b64: str

    @classmethod
    def from_parts(cls, jws: RawJws, header: dict[str, Any], payload: dict[str, Any]) -> Envelope:
        """The envelope of parts already read and checked, as `parse_envelope` and
        verification (which checks each part on its own) both make it."""
        return cls(
            header=header,
            payload_bytes=jws.payload_bytes,
            payload=payload,
            signature=jws.signature,
            protected_b64=jws.protected_b64,
            payload_b64=jws.payload_b64,
        )


# Reading, one part after the other, so that `verify_envelope` can report each on its own.


def read_jws(data: bytes) -> RawJws:
    """The parts of a flattened JWS; raises EnvelopeError "not_an_envelope".

    Data over MAX_ENVELOPE_BYTES is refused unread ("envelope_too_large"). An unprotected
    "header" member is refused ("bad_header"), whatever it says: it is not signed, so nothing
    in it may count, and a reader that did look at it could be told another algorithm or key
    than the signed header names.
    """
    not_an_envelope = N_(
        "This file is not a signed form: it is damaged or a file of another kind. "
        "Ask the sender for the signed form file again."
    )
    if not isinstance(data, bytes):
        raise EnvelopeError(not_an_envelope)
    if len(data) > MAX_ENVELOPE_BYTES:
        raise EnvelopeError(
            N_(
                "This file is too large to be a signed form ({size} bytes; a signed form is "
                "at most {limit} bytes, its attached files travel beside it). It was not made "
                "by the app: ask the sender for the signed form file again."
            ),
            code="envelope_too_large",
            size=len(data),
            limit=MAX_ENVELOPE_BYTES,
        )
    try:
        document = strict_json(data)
    except ValueError as error:
        raise EnvelopeError(not_an_envelope) from error
    if not isinstance(document, dict):
        raise EnvelopeError(not_an_envelope)
    if "header" in document:
        raise EnvelopeError(
            N_(
                "This signed form carries unsigned settings beside its signature, which this "
                "program refuses: someone may have tried to change how it is checked. "
                "Ask the municipality to send the form again."
            ),
            code="bad_header",
        )
    if set(document) != ENVELOPE_MEMBERS:
        raise EnvelopeError(not_an_envelope)
    try:
        protected_bytes = b64url_decode(document["protected"])
        payload_bytes = b64url_decode(document["payload"])
        signature = b64url_decode(document["signature"])
    except ValueError as error:
        raise EnvelopeError(not_an_envelope) from error
    return RawJws(
        protected_b64=document["protected"],
        payload_b64=document["payload"],
        protected_bytes=protected_bytes,
        payload_bytes=payload_bytes,
        signature=signature,
    )


def decode_header(protected_bytes: bytes) -> dict[str, Any]:
    """The protected header, checked member by member.

    Raises EnvelopeError "bad_header" (unreadable, unknown or missing members, `crit`, a `jwk`
    with anything beyond the public key) or "unsupported_algorithm" (anything but ES256 on a
    P-256 key, "none" included).
    """
    bad_header = N_(
        "The signature information of this form is damaged or not in the expected form "
        "({problem}), so the signature cannot be checked. Ask the municipality to send the "
        "form again."
    )
    try:
        header = strict_json(protected_bytes)
    except ValueError as error:
        raise EnvelopeError(bad_header, code="bad_header", problem="header") from error
    if not isinstance(header, dict):
        raise EnvelopeError(bad_header, code="bad_header", problem="header")
    if "alg" in header and header["alg"] != ALGORITHM:
        raise _unsupported(header["alg"])
    unknown = sorted(set(header) - HEADER_MEMBERS)
    if unknown:
        # "crit", "b64", "x5u", "jku", a second key...: extensions change what is signed or
        # which key counts, and this format has none.
        raise EnvelopeError(bad_header, code="bad_header", problem=shown(unknown[0]))
    for name in ("alg", "typ", "kid", "jwk"):
        if name not in header:
            raise EnvelopeError(bad_header, code="bad_header", problem=name)
    if header["typ"] != ENVELOPE_TYPE:
        raise EnvelopeError(bad_header, code="bad_header", problem="typ")
    if not isinstance(header["kid"], str) or not KEY_ID.fullmatch(header["kid"]):
        # A key id is a SHA-256 thumbprint: anything else is not one, however long.
        raise EnvelopeError(bad_header, code="bad_header", problem="kid")
    jwk = header["jwk"]
    if not isinstance(jwk, dict):
        raise EnvelopeError(bad_header, code="bad_header", problem="jwk")
    if "d" in jwk:
        raise EnvelopeError(
            N_(
                "This form carries the office's secret key in its signature information, so "
                "anyone who saw the file could sign in the office's name. Do not accept it; "
                "the office must make a new key and sign again."
            ),
            code="bad_header",
        )
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise _unsupported(jwk.get("crv", jwk.get("kty")))
    if set(jwk) != JWK_MEMBERS:
        raise EnvelopeError(bad_header, code="bad_header", problem="jwk")
    try:
        public_key_from_jwk(jwk)
    except ValueError as error:
        raise EnvelopeError(bad_header, code="bad_header", problem="jwk") from error
    return header


def _unsupported(value: Any) -> EnvelopeError:
    return EnvelopeError(
        N_(
            "This form is signed with a method this program does not accept ({algorithm}); "
            "only the app's own signatures (ES256) count. Ask the municipality to sign it "
            "again with the app."
        ),
        code="unsupported_algorithm",
        algorithm=shown(value),
    )


def signature_problem(jws: RawJws, header: dict[str, Any]) -> str | None:
    """None when the signature is the header key's ES256 signature of the signing input.

    Otherwise "bad_signature" (it does not match; so does a signature of any length but 64
    bytes: raw r||s, not DER), or "non_canonical_signature" (it matches, but in its high-S
    form, which the app never writes: someone turned a signature into its twin).
    `header` must come from `decode_header`.
    """
    if len(jws.signature) != SIGNATURE_BYTES:
        return "bad_signature"
    r = int.from_bytes(jws.signature[:P256_COORDINATE_BYTES], "big")
    s = int.from_bytes(jws.signature[P256_COORDINATE_BYTES:], "big")
    try:
        public_key_from_jwk(header["jwk"]).verify(
            encode_dss_signature(r, s), jws.signing_input, ec.ECDSA(hashes.SHA256())
        )
    except (InvalidSignature, ValueError):
        return "bad_signature"
    if s > P256_ORDER // 2:
        return "non_canonical_signature"
    return None


def signature_matches(jws: RawJws, header: dict[str, Any]) -> bool:
    """Whether the signature is valid and in its low-S form (`signature_problem` is None)."""
    return signature_problem(jws, header) is None


def parse_envelope(data: bytes) -> Envelope:
    """Read an envelope file, checking the form of every part but NOT the signature.

    Raises EnvelopeError. To know whether the envelope can be trusted, use
    `sync.verify.verify_envelope`.
    """
    jws = read_jws(data)
    header = decode_header(jws.protected_bytes)
    return Envelope.from_parts(jws, header, decode_payload(jws.payload_bytes))


# Writing.


def sign_envelope(payload: bytes, key: OfficeKey) -> bytes:
    """Sign `payload` (bytes from `build_payload`) with the office key: the envelope file bytes.

    Uses only `key.private_key`, `key.kid` and `key.public_jwk`. Raises ValueError for a
    payload whose format or `kid` is wrong, or a key not on P-256.
    """
    try:
        claimed = decode_payload(payload)["kid"]
    except EnvelopeError as error:
        raise ValueError(f"not a valid submission payload: {error.code} {error.params}") from error
    if claimed != key.kid:
        raise ValueError("the payload names another key than the one signing it")
    return sign_jws(payload, key)


def sign_jws(payload: bytes, key: OfficeKey) -> bytes:
    """The envelope bytes for any payload bytes, signed as they are (no check of the payload).

    For `sign_envelope`, and for tests that need hostile payloads properly signed. The header
    is canonical JSON of {"alg": "ES256", "typ": ENVELOPE_TYPE, "kid", "jwk"}; the signature
    is raw r||s with s in its low form; the envelope is canonical JSON of {"payload",
    "protected", "signature"}, with no newline at the end. Raises ValueError for a key not on
    P-256.
    """
    if not isinstance(key.private_key.curve, ec.SECP256R1):
        raise ValueError("office keys are ECDSA P-256")
    header = {"alg": ALGORITHM, "typ": ENVELOPE_TYPE, "kid": key.kid, "jwk": key.public_jwk}
    protected_b64 = b64url_encode(canonical_json(header))
    payload_b64 = b64url_encode(payload)
    signing_input = f"{protected_b64}.{payload_b64}".encode("ascii")
    r, s = decode_dss_signature(key.private_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    if s > P256_ORDER // 2:
        s = P256_ORDER - s
    signature = r.to_bytes(P256_COORDINATE_BYTES, "big") + s.to_bytes(P256_COORDINATE_BYTES, "big")
    return canonical_json(
        {"payload": payload_b64, "protected": protected_b64, "signature": b64url_encode(signature)}
    )
