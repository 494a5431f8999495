"""Verifying an envelope: one function for the desktop, the command line and the secretariat.

It answers "can this submission be trusted, and if not, why" as a list of checks, each passed or
failed with a stable code and a message that tells a person what it means and what to do. It
checks what the signature *means*, not only that it matches, and it never raises on any bytes
given to it: a damaged or hostile file is a failed check, not a crash.

Checks run in this order; a check that needs an earlier one to have passed is reported as not run
(code "not_run", a failure) rather than left out, so a report never looks shorter than it is:

| check           | needs          | failure codes                                             |
| --------------- | -------------- | --------------------------------------------------------- |
| structure       | -              | not_an_envelope, envelope_too_large                       |
| header          | structure      | bad_header, unsupported_algorithm                         |
| key_id          | header         | key_id_mismatch                                           |
| expected_key    | header         | unexpected_key (only when a key is expected)              |
| signature       | header         | bad_signature, non_canonical_signature                    |
| payload         | signature      | bad_payload, unknown_format, non_canonical_payload,       |
|                 |                | unknown_language, key_id_mismatch                         |
| dates           | payload        | signed_on_after_signed_at                                 |
| corrects        | payload        | corrects_itself                                           |
| attachment_list | payload        | attachment_listed_twice, attachment_not_named,            |
|                 |                | attachment_not_listed, attachment_mismatch                |
| attachment (1/file) | payload    | attachment_missing, attachment_altered                    |
| signature_image | payload        | signature_image_missing, signature_image_altered          |
| form            | payload        | unknown_form                                              |
| answers         | form           | answers_invalid, answers_not_asked                        |
| signer          | form           | signer_mismatch, signed_on_mismatch                       |
| statement       | form           | statement_mismatch                                        |

A failed key id or expected key does not stop the checks after it (the signature can still be
checked against the key the header carries), but the report is not ok. A check that finds
several problems reports each as a failed check of its own. A passed check's code is the check's
name; `params["check"]` names the check in every case. Were this module itself to fail, the
report says so ("verification_error") rather than raise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from i18n.formatting import LanguageName, isolate, printable
from i18n.translate import _
from schemas.forms import FormDefinition, FormDefinitionError, FormRegistry, default_registry
from schemas.validation import validate
from sync.consistency import FORM_CHECKS, PAYLOAD_CHECKS, Problem, unasked_answer_problems
from sync.envelope import (
    Envelope,
    EnvelopeError,
    RawJws,
    decode_header,
    decode_payload,
    read_jws,
    shown,
    signature_problem,
)
from sync.jose import fingerprint_groups, is_key, thumbprint
from sync.verify_texts import FAILED, NOT_GIVEN, NOT_RUN, PASSED

# How many answer findings the message lists (all are in the params "codes" and "paths").
SHOWN_FINDINGS = 3

ORDER = (
    "structure",
    "header",
    "key_id",
    "expected_key",
    "signature",
    "payload",
    "dates",
    "corrects",
    "attachment_list",
    "attachment",
    "signature_image",
    "form",
    "answers",
    "signer",
    "statement",
)

Attachments = Callable[[str], bytes | None]


@dataclass(frozen=True)
class Check:
    """One thing checked: passed or not, a stable code, and a message id with its values."""

    code: str
    ok: bool
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ran(self) -> bool:
        """Whether the check was made (a check that could not run is not ok either)."""
        return self.code != "not_run"

    def render(self) -> str:
        """The message in the current language, its values filled in, printable and isolated.

        Every value goes through `i18n.formatting.printable`: values come from files, and a
        control character in one could otherwise rewrite the line a person reads.
        """
        values = {k: isolate(printable(v)) for k, v in self.params.items()}
        return _(self.message).format(**values)


class CheckedReport:
    """What every report of checks answers (an envelope's, a signed PDF's): all passed or not,
    and which failed. Subclasses are dataclasses with a `checks` field."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        """Whether every check passed."""
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks that failed or could not run, in order."""
        return tuple(check for check in self.checks if not check.ok)


@dataclass(frozen=True)
class VerificationReport(CheckedReport):
    """Every check made on one envelope, in order.

    `envelope` is the read envelope once its signature has been verified and its content read;
    None before that, so nothing unsigned is ever handed on. It may be present while a later
    check (an attachment, the answers) failed: trust it only when `ok`.
    """

    checks: tuple[Check, ...]
    envelope: Envelope | None

    @property
    def signer_kid(self) -> str | None:
        """The key id of the key that made the signature (the thumbprint of the header's key),
        once the signature is verified; None before."""
        if self.envelope is None:
            return None
        return thumbprint(self.envelope.header["jwk"])


def _passed(check: str, message_key: str | None = None, **params: Any) -> Check:
    return Check(check, True, PASSED[message_key or check], {"check": check, **params})


def _failed(check: str, code: str, message: str, **params: Any) -> Check:
    return Check(code, False, message, {"check": check, **params})


def _from_error(check: str, error: EnvelopeError) -> Check:
    return _failed(check, error.code, error.message, **error.params)


def _not_run(*checks: str, texts: Mapping[str, str] = NOT_RUN) -> list[Check]:
    return [Check("not_run", False, texts[check], {"check": check}) for check in checks]


def _message_key(problem: Problem) -> str:
    """The FAILED text for a problem: its code, or for the signer, the field that differs."""
    if problem.code == "signer_mismatch":
        return f"{problem.params['field']}_mismatch"
    return problem.code


def _from_problems(
    check: str, problems: list[Problem], passed_message: str | None = None, **passed: Any
) -> list[Check]:
    """One failed check per problem, values from the file shown safely; or one passed check."""
    if not problems:
        return [_passed(check, passed_message, **passed)]
    return [
        _failed(
            check,
            problem.code,
            FAILED[_message_key(problem)],
            # Our own values (a language named when shown) stay as they are; file values shown.
            **{
                k: v if isinstance(v, LanguageName) else shown(v) for k, v in problem.params.items()
            },
        )
        for problem in problems
    ]


def verify_envelope(
    data: bytes,
    attachments: Attachments | None,
    registry: FormRegistry | None = None,
    *,
    expected_kid: str | None = None,
) -> VerificationReport:
    """Check an envelope file completely; never raises on any `data`.

    `attachments(sha256)` returns the bytes of the file with that SHA-256 (lowercase hex), or
    None when it is not at hand; it is only ever called with a well-formed hash. With None,
    the files are not checked (reported not run, saying why). `registry` holds the forms the
    answers are checked against (the forms shipped with the app if None). `expected_kid`, a
    key id or its fingerprint in groups (`sync.jose.is_key`), adds the check "expected_key".
    """
    order = ORDER if expected_kid is not None else tuple(c for c in ORDER if c != "expected_key")
    try:
        return _verify(data, attachments, registry or default_registry(), expected_kid, order)
    except Exception:  # a bug here must not let a file through, nor crash the desk serving it
        failed = _failed("structure", "verification_error", FAILED["verification_error"])
        return VerificationReport((failed, *_not_run(*order[1:])), None)


def _verify(
    data: bytes,
    attachments: Attachments | None,
    registry: FormRegistry,
    expected_kid: str | None,
    order: tuple[str, ...],
) -> VerificationReport:
    def stopped(checks: list[Check], last: str) -> VerificationReport:
        """The report when check `last` failed and every check after it needs it."""
        return VerificationReport((*checks, *_not_run(*order[order.index(last) + 1 :])), None)

    try:
        jws = read_jws(data)
    except EnvelopeError as error:
        if error.code == "bad_header":  # a JWS, but with an unprotected header: refused
            return stopped([_passed("structure"), _from_error("header", error)], "header")
        return stopped([_from_error("structure", error)], "structure")
    checks = [_passed("structure")]
    try:
        header = decode_header(jws.protected_bytes)
    except EnvelopeError as error:
        return stopped([*checks, _from_error("header", error)], "header")
    checks += [_passed("header"), _key_id_check(header)]
    if expected_kid is not None:
        checks.append(_expected_key_check(header, expected_kid))
    problem = signature_problem(jws, header)
    if problem is not None:
        return stopped([*checks, _failed("signature", problem, FAILED[problem])], "signature")
    checks.append(_passed("signature"))
    envelope, payload_check = _read_payload(jws, header)
    checks.append(payload_check)
    if envelope is None:
        return stopped(checks, "payload")
    payload = envelope.payload
    checks += _from_problems(
        "dates", PAYLOAD_CHECKS["dates"](payload), signed_on=payload["signed_on"]
    )
    corrects = PAYLOAD_CHECKS["corrects"](payload)
    if payload["corrects"] is None:
        checks += _from_problems("corrects", corrects)
    else:
        checks += _from_problems(
            "corrects", corrects, "corrects_other", corrects=payload["corrects"]
        )
    checks += _from_problems("attachment_list", PAYLOAD_CHECKS["attachment_list"](payload))
    if attachments is None:
        checks += _not_run("attachment", "signature_image", texts=NOT_GIVEN)
    else:
        checks += _attachment_checks(payload, attachments)
        checks.append(_signature_image_check(payload, attachments))
    checks += _form_checks(payload, registry)
    return VerificationReport(tuple(checks), envelope)


def _key_id_check(header: dict[str, Any]) -> Check:
    if thumbprint(header["jwk"]) != header["kid"]:
        return _failed(
            "key_id", "key_id_mismatch", FAILED["key_id_mismatch"], kid=shown(header["kid"])
        )
    return _passed("key_id", fingerprint=fingerprint_groups(header["kid"]))


def _expected_key_check(header: dict[str, Any], expected: str) -> Check:
    """The key that signed (the header's key itself, not the id it claims) is the one expected."""
    signer = thumbprint(header["jwk"])
    if is_key(signer, expected):
        return _passed("expected_key", fingerprint=fingerprint_groups(signer))
    return _failed(
        "expected_key",
        "unexpected_key",
        FAILED["unexpected_key"],
        fingerprint=fingerprint_groups(signer),
        expected=shown(expected),
    )


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
    envelope = Envelope.from_parts(jws, header, payload)
    return envelope, _passed("payload", submission_id=payload["submission_id"])


def _file_state(reference: dict[str, Any], attachments: Attachments) -> str:
    """ "ok", "missing" or "altered": whether the file named by `reference` is the one signed."""
    try:
        data = attachments(reference["sha256"])
    except OSError:  # a file that went away between listing and reading is not at hand
        data = None
    if data is None:
        return "missing"
    if hashlib.sha256(data).hexdigest() != reference["sha256"] or len(data) != reference["size"]:
        return "altered"
    return "ok"


def _attachment_checks(payload: dict[str, Any], attachments: Attachments) -> list[Check]:
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


def _signature_image_check(payload: dict[str, Any], attachments: Attachments) -> Check:
    image = payload["signature_image"]
    state = _file_state(image, attachments)
    if state == "ok":
        return _passed("signature_image", sha256=image["sha256"])
    code = f"signature_image_{state}"
    return _failed("signature_image", code, FAILED[code], sha256=image["sha256"])


def _form(payload: dict[str, Any], registry: FormRegistry) -> FormDefinition | None:
    """The form the payload names, or None; ids are bounded by `decode_payload` already."""
    try:
        return registry.get(payload["form_id"], payload["form_version"])
    except (FormDefinitionError, OSError, ValueError):
        return None


def _form_checks(payload: dict[str, Any], registry: FormRegistry) -> list[Check]:
    params = {"form_id": shown(payload["form_id"]), "version": shown(payload["form_version"])}
    form = _form(payload, registry)
    if form is None:
        return [
            _failed("form", "unknown_form", FAILED["unknown_form"], **params),
            *_not_run("answers", "signer", "statement"),
        ]
    return [
        _passed("form", **params),
        _answers_check(form, payload),
        *_signer_checks(form, payload),
        *_from_problems(
            "statement",
            FORM_CHECKS["statement"](form, payload),
            language=LanguageName(payload["statement_language"]),
        ),
    ]


def _answers_check(form: FormDefinition, payload: dict[str, Any]) -> Check:
    findings = validate(form, payload["answers"]).findings
    if not findings:
        return _from_problems("answers", unasked_answer_problems(form, payload))[0]
    listed = "; ".join(f"{shown(f.path) or '-'}: {f.code}" for f in findings[:SHOWN_FINDINGS])
    if len(findings) > SHOWN_FINDINGS:
        listed += "; …"
    return _failed(
        "answers",
        "answers_invalid",
        FAILED["answers_invalid"],
        findings=listed,
        codes=tuple(f.code for f in findings),
        paths=tuple(f.path for f in findings),
    )


def _signer_checks(form: FormDefinition, payload: dict[str, Any]) -> list[Check]:
    return _from_problems(
        "signer",
        FORM_CHECKS["signer"](form, payload),
        name=shown(payload["signer_name"]),
        position=shown(payload["signer_position"]),
    )
