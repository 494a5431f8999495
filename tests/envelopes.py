"""Envelopes for tests: a complete signed submission, and ways to sign anything at all.

Crafted envelopes are signed for real (with `sync.envelope.sign_jws`, or with `cryptography`
directly for headers the app never writes), so each rejection a test sees is for the crafted
property and not for a broken signature.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from schemas.forms import default_registry
from sync.canonical_json import canonical_json
from sync.envelope import ENVELOPE_TYPE, P256_ORDER, sign_envelope, sign_jws
from sync.jose import b64url_encode, public_jwk, thumbprint
from sync.payload import build_payload
from sync.statement import statement_text
from sync.verify import VerificationReport, verify_envelope
from tests.factories import complete_answers

# Every check of a complete submission with two attached files, in order.
ALL_CHECKS = [
    "structure",
    "header",
    "key_id",
    "signature",
    "payload",
    "dates",
    "corrects",
    "attachment_list",
    "attachment",
    "attachment",
    "signature_image",
    "form",
    "answers",
    "signer",
    "statement",
]
# The checks after "payload" (with one "attachment"): what a failed payload leaves not run.
AFTER_PAYLOAD = 9
# How many checks a report has when the file is not an envelope at all.
CHECKS_OF_NOTHING = 14


@dataclass(frozen=True)
class StandInKey:
    """The three things signing uses from an office key (sync.office_key.OfficeKey)."""

    office_name: str
    private_key: ec.EllipticCurvePrivateKey

    @property
    def public_jwk(self) -> dict[str, str]:
        return public_jwk(self.private_key.public_key())

    @property
    def kid(self) -> str:
        return thumbprint(self.public_jwk)


@dataclass(frozen=True)
class MislabelledKey(StandInKey):
    """A key that calls itself by another key's id."""

    claimed_kid: str = ""

    @property
    def kid(self) -> str:
        return self.claimed_kid


KEY = StandInKey("Kantor Bupati Jember — Sekretariat", ec.generate_private_key(ec.SECP256R1()))
OTHER_KEY = StandInKey("Another office", ec.generate_private_key(ec.SECP256R1()))

REPORT_PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
PHOTO_JPEG = b"\xff\xd8\xff\xe0" + b"photo of the human rights day " * 40 + b"\xff\xd9"
SIGNATURE_PNG = b"\x89PNG\r\n\x1a\n" + b"ink strokes " * 30


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ref(name: str, media_type: str, data: bytes) -> dict[str, Any]:
    return {"sha256": sha256(data), "name": name, "media_type": media_type, "size": len(data)}


FILES = {sha256(data): data for data in (REPORT_PDF, PHOTO_JPEG, SIGNATURE_PNG)}
DOCUMENTS = [
    ref("Laporan HAM 2025.pdf", "application/pdf", REPORT_PDF),
    ref("foto-kegiatan.jpg", "image/jpeg", PHOTO_JPEG),
]


def answers_with_documents() -> dict[str, Any]:
    answers = complete_answers()
    answers["local_actions"][0]["documents"] = [dict(d) for d in DOCUMENTS]
    return answers


def payload_fields(key: StandInKey = KEY, **changes: Any) -> dict[str, Any]:
    """The fields of a complete submission with two attachments, `changes` applied.

    The statement is made from the answers (after the changes) in `statement_language`, as
    signing makes it, unless `changes` gives one.
    """
    fields: dict[str, Any] = {
        "submission_id": str(uuid.UUID("0b7e8f3c-2d1a-4c5e-9f60-123456789abc")),
        "form_id": "hrc-join",
        "form_version": "2022",
        "language": "id",
        "statement_language": "fr",
        "answers": answers_with_documents(),
        "signer_name": "Hendy Siswanto",
        "signer_position": "Bupati Jember",
        "signed_on": "2026-11-23",
        "signed_at": "2026-11-23T10:15:00.123456+00:00",
        "attachments": [dict(d) for d in DOCUMENTS],
        "signature_image": {
            "sha256": sha256(SIGNATURE_PNG),
            "media_type": "image/png",
            "size": len(SIGNATURE_PNG),
        },
        "office_name": key.office_name,
        "kid": key.kid,
    }
    fields.update(changes)
    if "statement" not in changes:
        form = default_registry().get("hrc-join", "2022")
        fields["statement"] = statement_text(form, fields["answers"], fields["statement_language"])
    return fields


@cache
def signed() -> tuple[bytes, bytes]:
    """One complete signed submission: (payload bytes, envelope bytes)."""
    payload = build_payload(**payload_fields())
    return payload, sign_envelope(payload, KEY)


def signed_payload(**changes: Any) -> dict[str, Any]:
    """The parsed payload of `signed()` with `changes` applied: for crafting hostile ones."""
    return {**json.loads(signed()[0]), **changes}


def sign_anything(payload: Any, key: StandInKey = KEY) -> bytes:
    """An envelope over the canonical JSON of any value, properly signed, nothing checked.

    A value with no canonical form (an integer past 2**53, say) is signed as Python's JSON
    writes it: a hostile sender can sign any bytes at all.
    """
    if isinstance(payload, bytes):
        return sign_jws(payload, key)
    try:
        data = canonical_json(payload)
    except ValueError:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return sign_jws(data, key)


def verify(
    data: bytes, files: dict[str, bytes] | None = FILES, **kwargs: Any
) -> VerificationReport:
    return verify_envelope(data, files.get if files is not None else None, **kwargs)


def codes(report: VerificationReport) -> list[str]:
    return [check.code for check in report.failures]


def members(envelope: bytes) -> dict[str, str]:
    return json.loads(envelope)


def with_members(envelope: bytes, **changes: Any) -> bytes:
    document = {**members(envelope), **changes}
    return json.dumps(document, separators=(",", ":")).encode("ascii")


def raw_signature(
    private_key: ec.EllipticCurvePrivateKey,
    signing_input: bytes,
    hash_algorithm: hashes.HashAlgorithm | None = None,
    *,
    high_s: bool = False,
) -> bytes:
    """r||s of an ECDSA signature, with s in its low form (or its high twin, when asked)."""
    der = private_key.sign(signing_input, ec.ECDSA(hash_algorithm or hashes.SHA256()))
    size = (private_key.curve.key_size + 7) // 8
    r, s = decode_dss_signature(der)
    if isinstance(private_key.curve, ec.SECP256R1) and (s > P256_ORDER // 2) != high_s:
        s = P256_ORDER - s
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def raw_envelope(
    header: dict[str, Any],
    payload: bytes,
    private_key: ec.EllipticCurvePrivateKey = KEY.private_key,
    *,
    hash_algorithm: hashes.HashAlgorithm | None = None,
    signature: Callable[[bytes], bytes] | None = None,
) -> bytes:
    """A flattened JWS over `payload` with any header, signed here with `cryptography`."""
    protected = b64url_encode(json.dumps(header).encode("utf-8"))
    body = b64url_encode(payload)
    signing_input = f"{protected}.{body}".encode("ascii")
    if signature is None:
        raw = raw_signature(private_key, signing_input, hash_algorithm)
    else:
        raw = signature(signing_input)
    document = {"protected": protected, "payload": body, "signature": b64url_encode(raw)}
    return json.dumps(document).encode("ascii")


def standard_header(key: StandInKey = KEY) -> dict[str, Any]:
    return {"alg": "ES256", "typ": ENVELOPE_TYPE, "kid": key.kid, "jwk": key.public_jwk}
