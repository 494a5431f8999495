"""The envelope: a signed submission, as a JWS (RFC 7515) in flattened JSON serialization.

The payload is the submission as UTF-8 JSON; its bytes are signed as they are and kept as they
are, never parsed and written again, so what the secretariat checks is exactly what the mayor's
office signed. The protected header names the office key (`kid`, its RFC 7638 thumbprint) and
carries the public key itself (`jwk`), so anyone can check the signature with a standard JOSE
library, and the secretariat can compare the fingerprint with the one it learnt before.

Reading is strict on purpose: one algorithm (ES256), no unprotected header, no extensions, only
canonical base64url. Every other way to write "the same" envelope is one more way to slip
something past a checker; docs/FORMATS.md states the format byte for byte.

This module reads and writes envelopes; judging one (signature, attachments, answers) is
`sync.verify.verify_envelope`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from i18n.errors import UserError
from i18n.translate import N_
from schemas.validation import is_attachment_ref
from sync.jose import P256_COORDINATE_BYTES, b64url_decode, b64url_encode, public_key_from_jwk

if TYPE_CHECKING:
    from sync.office_key import OfficeKey

SUBMISSION_FORMAT = "hrcities-submission/1"
ENVELOPE_TYPE = "hrcities-envelope+jws"
ALGORITHM = "ES256"
SIGNATURE_BYTES = 2 * P256_COORDINATE_BYTES
SIGNATURE_IMAGE_TYPES = ("image/png",)

ENVELOPE_MEMBERS = frozenset({"protected", "payload", "signature"})
HEADER_MEMBERS = frozenset({"alg", "typ", "kid", "jwk"})
JWK_MEMBERS = frozenset({"kty", "crv", "x", "y"})
PAYLOAD_FIELDS = frozenset(
    {
        "format",
        "submission_id",
        "form_id",
        "form_version",
        "language",
        "statement_language",
        "answers",
        "statement",
        "signer_name",
        "signer_position",
        "signed_on",
        "signed_at",
        "attachments",
        "signature_image",
        "office_name",
        "kid",
        "corrects",
        "sealed_for",
    }
)
# Deeper JSON than any real form needs is refused before anything walks it recursively.
MAX_JSON_DEPTH = 32
# Values copied from a damaged or hostile file into a message are cut to this length.
MAX_SHOWN = 60

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class EnvelopeError(UserError):
    """An envelope that cannot be read as one; `code` says which part is wrong.

    Codes: "not_an_envelope", "bad_header", "unsupported_algorithm", "bad_payload",
    "unknown_format" (the same codes `verify_envelope` reports for these checks).
    """

    code = "not_an_envelope"

    def __init__(self, message: str, *, code: str = "not_an_envelope", **params: Any) -> None:
        super().__init__(message, **params)
        self.code = code


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


def shown(value: Any) -> str:
    """A value from the file as it may appear in a message: text, and not too long."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no insignificant whitespace: how this app writes JSON."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def strict_b64url_decode(text: Any) -> bytes:
    """Decode base64url only in its one canonical spelling (no padding, no stray characters,
    unused low bits zero); raises ValueError otherwise.

    A lenient decoder maps several texts to the same bytes, and for the signature, whose text
    is not itself signed, that would let a changed file still verify.
    """
    data = b64url_decode(text)
    if b64url_encode(data) != text:
        raise ValueError("not canonical base64url")
    return data


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Refuse a JSON object naming a member twice: parsers disagree on which one counts."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"member {key!r} twice")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth_within(value: Any, limit: int) -> bool:
    """Whether nested lists and objects stay within `limit` levels (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            if depth > limit:
                return False
            stack.extend((child, depth + 1) for child in node)
    return True


def strict_json(data: bytes) -> Any:
    """Parse UTF-8 JSON strictly: no duplicate members, no NaN/Infinity, bounded nesting.

    Raises ValueError (for invalid UTF-8 too) instead of guessing what a sender meant.
    """
    try:
        value = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
        )
    except RecursionError as error:
        raise ValueError("nested too deeply") from error
    if not _depth_within(value, MAX_JSON_DEPTH):
        raise ValueError("nested too deeply")
    return value


# Reading, one part after the other, so that `verify_envelope` can report each on its own.


def read_jws(data: bytes) -> RawJws:
    """The parts of a flattened JWS; raises EnvelopeError "not_an_envelope".

    An unprotected "header" member is refused (EnvelopeError "bad_header"), whatever it says:
    it is not signed, so nothing in it may count, and a reader that did look at it could be
    told another algorithm or key than the signed header names.
    """
    not_an_envelope = N_(
        "This file is not a signed form: it is damaged or a file of another kind. "
        "Ask the sender for the signed form file again."
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
        protected_bytes = strict_b64url_decode(document["protected"])
        payload_bytes = strict_b64url_decode(document["payload"])
        signature = strict_b64url_decode(document["signature"])
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
    if not isinstance(header["kid"], str) or not header["kid"]:
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


def signature_matches(jws: RawJws, header: dict[str, Any]) -> bool:
    """Whether the signature is the header key's ES256 signature of the signing input.

    `header` must come from `decode_header`. A signature of any length but 64 bytes (raw r||s;
    a DER signature, for example) does not match.
    """
    if len(jws.signature) != SIGNATURE_BYTES:
        return False
    r = int.from_bytes(jws.signature[:P256_COORDINATE_BYTES], "big")
    s = int.from_bytes(jws.signature[P256_COORDINATE_BYTES:], "big")
    try:
        public_key_from_jwk(header["jwk"]).verify(
            encode_dss_signature(r, s), jws.signing_input, ec.ECDSA(hashes.SHA256())
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def decode_payload(payload_bytes: bytes) -> dict[str, Any]:
    """The submission, checked field by field.

    Raises EnvelopeError "unknown_format" (a format tag this version does not know: checked
    first, as another format may have other fields) or "bad_payload" (not JSON, a field missing,
    unknown or of the wrong kind, an attachment the answers name but the list lacks).
    """
    try:
        payload = strict_json(payload_bytes)
    except ValueError as error:
        raise EnvelopeError(
            N_(
                "The signed content of this form cannot be read: it was not made by this "
                "app. Ask the municipality to sign the form again with the app."
            ),
            code="bad_payload",
        ) from error
    if not isinstance(payload, dict):
        raise _bad_payload("payload")
    if not isinstance(payload.get("format"), str):
        raise _bad_payload("format")
    if payload["format"] != SUBMISSION_FORMAT:
        raise EnvelopeError(
            N_(
                "This form is in a format this program does not know ({format}), probably "
                "from a newer version of the app. Update this program, then check it again."
            ),
            code="unknown_format",
            format=shown(payload["format"]),
        )
    odd = sorted(PAYLOAD_FIELDS - set(payload)) + sorted(set(payload) - PAYLOAD_FIELDS)
    if odd:
        raise _bad_payload(odd[0])
    for name in sorted(PAYLOAD_FIELDS):
        if not _PAYLOAD_CHECKS[name](payload[name]):
            raise _bad_payload(name)
    listed = {item["sha256"] for item in payload["attachments"]}
    if any(ref["sha256"] not in listed for ref in _attachment_refs(payload["answers"])):
        raise _bad_payload("attachments")
    return payload


def _bad_payload(field: str) -> EnvelopeError:
    return EnvelopeError(
        N_(
            "The signed content of this form is incomplete or malformed (at “{field}”): it "
            "was not made by this app, or by a faulty version. Ask the municipality to sign "
            "the form again with an up-to-date app."
        ),
        code="bad_payload",
        field=field,
    )


def _attachment_refs(value: Any) -> Iterator[dict[str, Any]]:
    """Every attachment reference anywhere inside the answers."""
    stack = [value]
    while stack:
        node = stack.pop()
        if is_attachment_ref(node):
            yield node
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _uuid(value: Any) -> bool:
    try:
        return isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _date(value: Any) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def _moment(value: Any) -> bool:
    try:
        return isinstance(value, str) and dt.datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _size(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _signature_image(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"sha256", "media_type", "size"}
        and isinstance(value["sha256"], str)
        and bool(_SHA256.match(value["sha256"]))
        and value["media_type"] in SIGNATURE_IMAGE_TYPES
        and _size(value["size"])
    )


_PAYLOAD_CHECKS = {
    "format": _text,
    "submission_id": _uuid,
    "form_id": _text,
    "form_version": _text,
    "language": _text,
    "statement_language": _text,
    "answers": lambda value: isinstance(value, dict),
    "statement": _text,
    "signer_name": _text,
    "signer_position": _text,
    "signed_on": _date,
    "signed_at": _moment,
    "attachments": lambda value: (
        isinstance(value, list) and all(is_attachment_ref(item) for item in value)
    ),
    "signature_image": _signature_image,
    "office_name": _text,
    "kid": _text,
    "corrects": lambda value: value is None or _uuid(value),
    "sealed_for": lambda value: value is None or _text(value),
}


def parse_envelope(data: bytes) -> Envelope:
    """Read an envelope file, checking the form of every part but NOT the signature.

    Raises EnvelopeError. To know whether the envelope can be trusted, use
    `sync.verify.verify_envelope`.
    """
    jws = read_jws(data)
    header = decode_header(jws.protected_bytes)
    payload = decode_payload(jws.payload_bytes)
    return Envelope(
        header=header,
        payload_bytes=jws.payload_bytes,
        payload=payload,
        signature=jws.signature,
        protected_b64=jws.protected_b64,
        payload_b64=jws.payload_b64,
    )


# Writing.


def build_payload(
    *,
    submission_id: str,
    form_id: str,
    form_version: str,
    language: str,
    statement_language: str,
    answers: dict[str, Any],
    statement: str,
    signer_name: str,
    signer_position: str,
    signed_on: str,
    signed_at: str,
    attachments: list[dict[str, Any]],
    signature_image: dict[str, Any],
    office_name: str,
    kid: str,
    corrects: str | None = None,
    sealed_for: str | None = None,
) -> bytes:
    """The exact payload bytes to sign: canonical UTF-8 JSON of the submission.

    `attachments` lists every file the answers refer to ({"sha256", "name", "media_type",
    "size"}); `signature_image` is {"sha256", "media_type": "image/png", "size"}. `corrects` and
    `sealed_for` are written as null when not given. Raises ValueError for a payload that
    `decode_payload` would refuse, so the app never signs what verification rejects.
    """
    payload = {
        "format": SUBMISSION_FORMAT,
        "submission_id": submission_id,
        "form_id": form_id,
        "form_version": form_version,
        "language": language,
        "statement_language": statement_language,
        "answers": answers,
        "statement": statement,
        "signer_name": signer_name,
        "signer_position": signer_position,
        "signed_on": signed_on,
        "signed_at": signed_at,
        "attachments": attachments,
        "signature_image": signature_image,
        "office_name": office_name,
        "kid": kid,
        "corrects": corrects,
        "sealed_for": sealed_for,
    }
    data = canonical_json(payload)
    try:
        decode_payload(data)
    except EnvelopeError as error:
        raise ValueError(f"not a valid submission payload: {error.code} {error.params}") from error
    return data


def sign_envelope(payload: bytes, key: OfficeKey) -> bytes:
    """Sign `payload` (bytes from `build_payload`) with the office key: the envelope file bytes.

    Uses only `key.private_key`, `key.kid` and `key.public_jwk`. The header is written as
    canonical JSON of {"alg": "ES256", "typ": ENVELOPE_TYPE, "kid", "jwk"}; the envelope is
    canonical JSON of {"payload", "protected", "signature"}, with no newline at the end.
    Raises ValueError for a payload whose format or `kid` is wrong, or a key not on P-256.
    """
    if not isinstance(key.private_key.curve, ec.SECP256R1):
        raise ValueError("office keys are ECDSA P-256")
    try:
        claimed = decode_payload(payload)["kid"]
    except EnvelopeError as error:
        raise ValueError(f"not a valid submission payload: {error.code} {error.params}") from error
    if claimed != key.kid:
        raise ValueError("the payload names another key than the one signing it")
    header = {"alg": ALGORITHM, "typ": ENVELOPE_TYPE, "kid": key.kid, "jwk": key.public_jwk}
    protected_b64 = b64url_encode(canonical_json(header))
    payload_b64 = b64url_encode(payload)
    signing_input = f"{protected_b64}.{payload_b64}".encode("ascii")
    r, s = decode_dss_signature(key.private_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    signature = r.to_bytes(P256_COORDINATE_BYTES, "big") + s.to_bytes(P256_COORDINATE_BYTES, "big")
    return canonical_json(
        {"payload": payload_b64, "protected": protected_b64, "signature": b64url_encode(signature)}
    )
