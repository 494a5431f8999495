"""Verifying an envelope: one function for the desktop, the command line and the secretariat.

It answers "can this submission be trusted, and if not, why" as a list of checks, each passed or
failed with a stable code and a message that tells a person what it means and what to do. It
never raises on any bytes given to it: a damaged or hostile file is a failed check, not a crash.

Checks run in this order; a check that needs an earlier one to have passed is reported as not run
(code "not_run", a failure) rather than left out, so a report never looks shorter than it is:

| check           | needs            | failure codes                                       |
| --------------- | ---------------- | --------------------------------------------------- |
| structure       | -                | not_an_envelope, bad_header (unprotected header)    |
| header          | structure        | bad_header, unsupported_algorithm                   |
| key_id          | header           | key_id_mismatch                                     |
| signature       | header           | bad_signature                                       |
| payload         | signature        | bad_payload, unknown_format, key_id_mismatch        |
| attachment (1/file) | payload      | attachment_missing, attachment_altered              |
| signature_image | payload          | signature_image_missing, signature_image_altered    |
| form            | payload          | unknown_form                                        |
| answers         | form             | answers_invalid                                     |

A failed key id does not stop the checks after it (the signature can still be checked against
the key the header carries), but the report is not ok. A passed check's code is the check's name;
`params["check"]` names the check in every case.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from i18n.formatting import isolate
from i18n.translate import N_, _
from schemas.forms import FormDefinitionError, FormRegistry, default_registry
from schemas.validation import validate
from sync.envelope import (
    Envelope,
    EnvelopeError,
    RawJws,
    decode_header,
    decode_payload,
    read_jws,
    shown,
    signature_matches,
)
from sync.jose import fingerprint_groups, thumbprint

# Ids that can only name a form file inside a registry folder, never a path outside it.
# How many answer findings the message lists (all are in the params "codes" and "paths").
SHOWN_FINDINGS = 3
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$")

ORDER = (
    "structure",
    "header",
    "key_id",
    "signature",
    "payload",
    "attachment",
    "signature_image",
    "form",
    "answers",
)

PASSED: dict[str, str] = {
    "structure": N_("The file is a signed form (a JWS envelope)."),
    "header": N_("The form is signed with ES256, the app's signature method."),
    "key_id": N_("The signature names the office key {fingerprint}."),
    "signature": N_("The signature matches: nothing was changed since the office signed."),
    "payload": N_("The signed content is a complete submission ({submission_id})."),
    "attachment": N_("The attached file {name} is present and unchanged."),
    "no_attachments": N_("The form has no attached files."),
    "signature_image": N_("The picture of the handwritten signature is present and unchanged."),
    "form": N_("The form {form_id}, version {version}, is known."),
    "answers": N_("Every answer passes the form's checks."),
}

NOT_RUN: dict[str, str] = {
    "header": N_("The signature information was not checked, because an earlier check failed."),
    "key_id": N_("The office key was not checked, because an earlier check failed."),
    "signature": N_("The signature was not checked, because an earlier check failed."),
    "payload": N_("The signed content was not read, because an earlier check failed."),
    "attachment": N_("The attached files were not checked, because an earlier check failed."),
    "signature_image": N_(
        "The picture of the handwritten signature was not checked, because an earlier check failed."
    ),
    "form": N_("The form version was not checked, because an earlier check failed."),
    "answers": N_("The answers were not checked, because an earlier check failed."),
}

FAILED: dict[str, str] = {
    "key_id_mismatch": N_(
        "The key id in this form ({kid}) does not belong to the key that signed it: the form "
        "may be forged. Do not accept it; ask the municipality to sign it again."
    ),
    "payload_key_mismatch": N_(
        "The signed content names another office key ({kid}) than the one that signed it: the "
        "form may be forged. Do not accept it; ask the municipality to sign it again."
    ),
    "bad_signature": N_(
        "The signature does not match: the form was changed after it was signed, or damaged "
        "on the way. Ask the municipality to send it again."
    ),
    "attachment_missing": N_(
        "The attached file {name} is missing, so it cannot be checked. Ask the sender for the "
        "complete submission with all its files."
    ),
    "attachment_altered": N_(
        "The attached file {name} is not the file that was signed: it was changed or damaged "
        "on the way. Ask the municipality to send it again."
    ),
    "signature_image_missing": N_(
        "The picture of the handwritten signature is missing, so it cannot be checked. Ask the "
        "sender for the complete submission with all its files."
    ),
    "signature_image_altered": N_(
        "The picture of the handwritten signature is not the one that was signed: it was "
        "changed or damaged on the way. Ask the municipality to send the form again."
    ),
    "unknown_form": N_(
        "This form ({form_id}, version {version}) is unknown to this program, so its answers "
        "cannot be checked. Update this program, then check the form again."
    ),
    "answers_invalid": N_(
        "Some answers in the signed form do not pass the form's checks ({findings}): it was "
        "signed before it was complete and correct. Ask the municipality to correct the form "
        "and sign it again."
    ),
}


@dataclass(frozen=True)
class Check:
    """One thing checked: passed or not, a stable code, and a message id with its values."""

    code: str
    ok: bool
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        """The message in the current language, its values filled in (isolated for RTL)."""
        return _(self.message).format(**{k: isolate(v) for k, v in self.params.items()})


@dataclass(frozen=True)
class VerificationReport:
    """Every check made on one envelope, in order.

    `envelope` is the read envelope once its signature has been verified and its content read;
    None before that, so nothing unsigned is ever handed on. It may be present while a later
    check (an attachment, the answers) failed: trust it only when `ok`.
    """

    checks: tuple[Check, ...]
    envelope: Envelope | None

    @property
    def ok(self) -> bool:
        """Whether every check passed."""
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks that failed or could not run, in order."""
        return tuple(check for check in self.checks if not check.ok)


def _passed(check: str, message_key: str | None = None, **params: Any) -> Check:
    return Check(check, True, PASSED[message_key or check], {"check": check, **params})


def _failed(check: str, code: str, message: str, **params: Any) -> Check:
    return Check(code, False, message, {"check": check, **params})


def _from_error(check: str, error: EnvelopeError) -> Check:
    return _failed(check, error.code, error.message, **error.params)


def _not_run(*checks: str) -> list[Check]:
    return [Check("not_run", False, NOT_RUN[check], {"check": check}) for check in checks]


def _stopped(checks: list[Check], last: str) -> VerificationReport:
    """The report when check `last` failed and every check after it needs it."""
    return VerificationReport((*checks, *_not_run(*ORDER[ORDER.index(last) + 1 :])), None)


def verify_envelope(
    data: bytes,
    attachments: Callable[[str], bytes | None],
    registry: FormRegistry | None = None,
) -> VerificationReport:
    """Check an envelope file completely; never raises on any `data`.

    `attachments(sha256)` returns the bytes of the file with that SHA-256 (lowercase hex), or
    None when it is not at hand; it is only ever called with a well-formed hash. `registry`
    holds the forms the answers are checked against (the forms shipped with the app if None).
    """
    try:
        jws = read_jws(data)
    except EnvelopeError as error:
        if error.code == "bad_header":  # a JWS, but with an unprotected header: refused
            return _stopped([_passed("structure"), _from_error("header", error)], "header")
        return _stopped([_from_error("structure", error)], "structure")
    checks = [_passed("structure")]
    try:
        header = decode_header(jws.protected_bytes)
    except EnvelopeError as error:
        return _stopped([*checks, _from_error("header", error)], "header")
    checks += [_passed("header"), _key_id_check(header)]
    if not signature_matches(jws, header):
        failed = _failed("signature", "bad_signature", FAILED["bad_signature"])
        return _stopped([*checks, failed], "signature")
    checks.append(_passed("signature"))
    envelope, payload_check = _read_payload(jws, header)
    checks.append(payload_check)
    if envelope is None:
        return _stopped(checks, "payload")
    checks += _attachment_checks(envelope.payload, attachments)
    checks.append(_signature_image_check(envelope.payload, attachments))
    checks += _form_checks(envelope.payload, registry or default_registry())
    return VerificationReport(tuple(checks), envelope)


def _key_id_check(header: dict[str, Any]) -> Check:
    if thumbprint(header["jwk"]) != header["kid"]:
        return _failed(
            "key_id", "key_id_mismatch", FAILED["key_id_mismatch"], kid=shown(header["kid"])
        )
    return _passed("key_id", fingerprint=fingerprint_groups(header["kid"]))


def _read_payload(jws: RawJws, header: dict[str, Any]) -> tuple[Envelope | None, Check]:
    try:
        payload = decode_payload(jws.payload_bytes)
    except EnvelopeError as error:
        return None, _from_error("payload", error)
    if payload["kid"] != header["kid"]:
        check = _failed(
            "payload", "key_id_mismatch", FAILED["payload_key_mismatch"], kid=shown(payload["kid"])
        )
        return None, check
    envelope = Envelope(
        header=header,
        payload_bytes=jws.payload_bytes,
        payload=payload,
        signature=jws.signature,
        protected_b64=jws.protected_b64,
        payload_b64=jws.payload_b64,
    )
    return envelope, _passed("payload", submission_id=payload["submission_id"])


def _file_state(reference: dict[str, Any], attachments: Callable[[str], bytes | None]) -> str:
    """ "ok", "missing" or "altered": whether the file named by `reference` is the one signed."""
    data = attachments(reference["sha256"])
    if data is None:
        return "missing"
    if hashlib.sha256(data).hexdigest() != reference["sha256"] or len(data) != reference["size"]:
        return "altered"
    return "ok"


def _attachment_checks(
    payload: dict[str, Any], attachments: Callable[[str], bytes | None]
) -> list[Check]:
    """One check per attached file (once per file, even if the list names it twice)."""
    checks, seen = [], set()
    for item in payload["attachments"]:
        if item["sha256"] in seen:
            continue
        seen.add(item["sha256"])
        params = {"name": shown(item["name"]), "sha256": item["sha256"]}
        state = _file_state(item, attachments)
        if state == "ok":
            checks.append(_passed("attachment", **params))
        else:
            code = f"attachment_{state}"
            checks.append(_failed("attachment", code, FAILED[code], **params))
    return checks or [_passed("attachment", "no_attachments")]


def _signature_image_check(
    payload: dict[str, Any], attachments: Callable[[str], bytes | None]
) -> Check:
    image = payload["signature_image"]
    state = _file_state(image, attachments)
    if state == "ok":
        return _passed("signature_image", sha256=image["sha256"])
    code = f"signature_image_{state}"
    return _failed("signature_image", code, FAILED[code], sha256=image["sha256"])


def _form_checks(payload: dict[str, Any], registry: FormRegistry) -> list[Check]:
    form_id, version = payload["form_id"], payload["form_version"]
    params = {"form_id": shown(form_id), "version": shown(version)}
    form = None
    if _SAFE_ID.match(form_id) and _SAFE_ID.match(version):
        try:
            form = registry.get(form_id, version)
        except FormDefinitionError:
            form = None
    if form is None:
        return [
            _failed("form", "unknown_form", FAILED["unknown_form"], **params),
            *_not_run("answers"),
        ]
    findings = validate(form, payload["answers"]).findings
    if not findings:
        return [_passed("form", **params), _passed("answers")]
    listed = "; ".join(f"{shown(f.path) or '-'}: {f.code}" for f in findings[:SHOWN_FINDINGS])
    if len(findings) > SHOWN_FINDINGS:
        listed += "; …"
    return [
        _passed("form", **params),
        _failed(
            "answers",
            "answers_invalid",
            FAILED["answers_invalid"],
            findings=listed,
            codes=tuple(f.code for f in findings),
            paths=tuple(f.path for f in findings),
        ),
    ]
