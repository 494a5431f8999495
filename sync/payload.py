"""The payload of an envelope: the submission as canonical JSON, read and written field by field.

The payload bytes are what the office signs, so they have one spelling only: canonical JSON
(`sync.canonical_json`) of exactly the fields below, each of its kind and within its bounds. A
payload in any other spelling is refused even though its signature matches: two envelopes for
one signed content would be two things to track, compare and deduplicate downstream.

Reading here checks the shape of the payload alone; whether it agrees with itself and with its
form (statement, signer, dates, attachments) is `sync.consistency`, and the whole judgement is
`sync.verify.verify_envelope`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from i18n.errors import UserError
from i18n.formatting import printable
from i18n.languages import LANGUAGE_CODES
from i18n.translate import N_
from schemas.attachments import is_attachment_ref
from sync.canonical_json import canonical_json, is_canonical, strict_json
from sync.consistency import payload_problems

SUBMISSION_FORMAT = "hrcities-submission/1"
SIGNATURE_IMAGE_TYPES = ("image/png",)

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
# Values copied from a damaged or hostile file into a message are cut to this length.
MAX_SHOWN = 60
# Bounds on the ids, so that no id from a file can be a path, a huge file name or a huge key:
# form ids and versions as the form meta-schema allows them, key ids as RFC 7638 SHA-256
# thumbprints (43 base64url characters), moments as ISO 8601 writes them.
FORM_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
FORM_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$")
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")
MAX_MOMENT_LENGTH = 40

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class EnvelopeError(UserError):
    """An envelope that cannot be read as one; `code` says which part is wrong.

    Codes: "not_an_envelope", "envelope_too_large", "bad_header", "unsupported_algorithm",
    "bad_payload", "unknown_format", "non_canonical_payload", "unknown_language" (the same
    codes `verify_envelope` reports for these checks).
    """

    code = "not_an_envelope"

    def __init__(self, message: str, *, code: str = "not_an_envelope", **params: Any) -> None:
        super().__init__(message, **params)
        self.code = code


def shown(value: Any) -> str:
    """A value from the file as it may appear in a message: printable text, and not too long.

    Cut first, then escaped (`i18n.formatting.printable`), so that no control character from
    a file ever reaches a terminal or a label, and the escapes of a long value stay bounded.
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 1] + "…"
    return printable(text)


def decode_payload(payload_bytes: bytes) -> dict[str, Any]:
    """The submission, checked field by field.

    Raises EnvelopeError, checking in this order: "bad_payload" (not JSON, or not an object),
    "unknown_format" (a format tag this version does not know: another format may have other
    fields and rules), "non_canonical_payload" (not exactly the canonical JSON of its value),
    "bad_payload" (a field missing, unknown, of the wrong kind or out of bounds; `field` says
    which), "unknown_language" (a language the app does not offer).
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
    if not is_canonical(payload_bytes, payload):
        raise EnvelopeError(
            N_(
                "The signed content of this form is not written the way the app writes it: "
                "it was made, or written again, by another program. Ask the municipality to "
                "sign the form again with the app."
            ),
            code="non_canonical_payload",
        )
    odd = sorted(PAYLOAD_FIELDS - set(payload)) + sorted(set(payload) - PAYLOAD_FIELDS)
    if odd:
        raise _bad_payload(odd[0])
    for name in sorted(PAYLOAD_FIELDS):
        if not _PAYLOAD_CHECKS[name](payload[name]):
            raise _bad_payload(name)
    for name in ("language", "statement_language"):
        if payload[name] not in LANGUAGE_CODES:
            raise EnvelopeError(
                N_(
                    "This form names a language this program does not offer ({language}), "
                    "probably because a newer version of the app made it. Update this "
                    "program, then check the form again."
                ),
                code="unknown_language",
                field=name,
                language=shown(payload[name]),
            )
    return payload


def _bad_payload(field: str) -> EnvelopeError:
    return EnvelopeError(
        N_(
            "The signed content of this form is incomplete or malformed (at “{field}”): it "
            "was not made by this app, or by a faulty version. Ask the municipality to sign "
            "the form again with an up-to-date app."
        ),
        code="bad_payload",
        field=shown(field),
    )


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _matches(pattern: re.Pattern[str]) -> Callable[[Any], bool]:
    # fullmatch, not match: "$" would let a trailing newline through.
    return lambda value: isinstance(value, str) and pattern.fullmatch(value) is not None


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
        return (
            isinstance(value, str)
            and len(value) <= MAX_MOMENT_LENGTH
            and dt.datetime.fromisoformat(value).tzinfo is not None
        )
    except ValueError:
        return False


def _size(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _signature_image(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"sha256", "media_type", "size"}
        and isinstance(value["sha256"], str)
        and bool(_SHA256.fullmatch(value["sha256"]))
        and value["media_type"] in SIGNATURE_IMAGE_TYPES
        and _size(value["size"])
    )


_PAYLOAD_CHECKS: dict[str, Callable[[Any], bool]] = {
    "format": _text,
    "submission_id": _uuid,
    "form_id": _matches(FORM_ID),
    "form_version": _matches(FORM_VERSION),
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
    "kid": _matches(KEY_ID),
    "corrects": lambda value: value is None or _uuid(value),
    "sealed_for": lambda value: value is None or _matches(KEY_ID)(value),
}


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
    `decode_payload` would refuse or that disagrees with itself (`sync.consistency`: dates,
    corrects, the attachment list), so the app never signs what verification rejects; what
    needs the form (statement, signer) is checked by signing's own verification.
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
        decoded = decode_payload(data)
    except EnvelopeError as error:
        raise ValueError(f"not a valid submission payload: {error.code} {error.params}") from error
    problems = payload_problems(decoded)
    if problems:
        raise ValueError(f"not a consistent submission payload: {[p.code for p in problems]}")
    return data
