"""Signing a draft: from the answers to a locked, verifiable submission and a signed PDF.

Qt-free, so the window and `hrcities sign` run exactly the same steps. The envelope is verified
against the store's own bytes before anything is recorded, so a defect in signing can never leave
a "signed" draft that the secretariat would reject; and everything is recorded in one
transaction, so a power cut leaves the draft either unsigned or signed, never half.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from desktop.core.form_document import SignedBlock
from desktop.core.store.database import iso, utc_now
from desktop.core.store.drafts import DraftLocked, DraftsStore, DraftStatus, Submission
from i18n.errors import UserError
from i18n.translate import N_, current_language
from schemas.attachments import attachment_refs
from schemas.forms import FormDefinition
from schemas.validation import validate
from sync.consistency import relevant_answers
from sync.envelope import sign_envelope
from sync.office_key import OfficeKey
from sync.payload import build_payload
from sync.statement import statement_text
from sync.verify import VerificationReport, verify_envelope

SIGNATURE_MEDIA_TYPE = "image/png"
__all__ = [  # relevant_answers too: the window and the command line find it here
    "SIGNATURE_MEDIA_TYPE",
    "NoDrawnSignature",
    "NotReadyToSign",
    "PdfMaker",
    "SigningFailed",
    "relevant_answers",
    "sign_draft",
    "verify_submission",
]


class NotReadyToSign(UserError):
    """Something is missing or wrong in the form."""

    code = "not_ready_to_sign"


class NoDrawnSignature(UserError):
    """Signing needs the drawn (or imported) handwritten signature."""

    code = "no_drawn_signature"


class SigningFailed(UserError):
    """The envelope just made does not verify: nothing was recorded."""

    code = "signing_failed"


PdfMaker = Callable[[FormDefinition, Mapping[str, Any], SignedBlock], bytes]


def verify_submission(
    store: DraftsStore,
    envelope: bytes,
    extra: Mapping[str, bytes] | None = None,
    *,
    expected_kid: str | None = None,
) -> VerificationReport:
    """Verify an envelope against the files this computer keeps (and `extra` ones)."""
    extra = extra or {}

    def lookup(sha256: str) -> bytes | None:
        if sha256 in extra:
            return extra[sha256]
        try:
            return store.attachment_bytes(sha256)
        except UserError:
            return None

    return verify_envelope(envelope, lookup, store.registry, expected_kid=expected_kid)


def sign_draft(
    store: DraftsStore,
    draft_id: str,
    key: OfficeKey,
    signature_png: bytes,
    *,
    make_pdf: PdfMaker | None = None,
    now: Callable[[], Any] = utc_now,
) -> Submission:
    """Sign a finished draft with the unlocked office key; return the recorded submission."""
    draft = store.get(draft_id)
    if draft.status != DraftStatus.DRAFT:
        raise DraftLocked(N_("This form is already signed. Use Correct to make a new draft."))
    if not signature_png:
        raise NoDrawnSignature(N_("Draw the signature (or import a picture of it) before signing."))
    form = store.form_for(draft)
    report = validate(form, draft.answers)
    if not report.can_sign:
        raise NotReadyToSign(
            N_(
                "The form cannot be signed yet: {count} answers are missing or wrong. "
                "The summary lists them."
            ),
            count=len(report.findings),
        )
    answers = relevant_answers(form, draft.answers)
    # The signer and the date are read through the form's roles, as verification reads them.
    signer_name = form.answer_for("signer_name", answers)
    signer_position = form.answer_for("signer_position", answers)
    signed_on = form.answer_for("statement_date", answers)
    language = current_language()
    signed_at = iso(now())
    signature_sha = hashlib.sha256(signature_png).hexdigest()
    payload = build_payload(
        submission_id=str(uuid.uuid4()),
        form_id=form.form_id,
        form_version=form.version,
        language=draft.language or language,
        statement_language=language,
        answers=answers,
        statement=statement_text(form, answers, language),
        signer_name=signer_name,
        signer_position=signer_position,
        signed_on=signed_on,
        signed_at=signed_at,
        attachments=attachment_refs(answers),
        signature_image={
            "sha256": signature_sha,
            "media_type": SIGNATURE_MEDIA_TYPE,
            "size": len(signature_png),
        },
        office_name=key.office_name,
        kid=key.kid,
        corrects=draft.corrects,
    )
    envelope = sign_envelope(payload, key)
    check = verify_submission(store, envelope, {signature_sha: signature_png})
    if not check.ok:
        raise SigningFailed(
            N_("Signing failed a self-check ({codes}); nothing was signed. Please report it."),
            codes=", ".join(c.code for c in check.failures),
        )
    submission_id = check.envelope.payload["submission_id"]
    signed_pdf = None
    if make_pdf is not None:
        from sync.signed_pdf import sign_pdf  # noqa: PLC0415 - pyHanko loads in a blink only once

        block = SignedBlock(
            signer_name=signer_name,
            signer_position=signer_position,
            signed_on=signed_on,
            office_name=key.office_name,
            fingerprint=key.fingerprint,
            kid=key.kid,
            signature_png=signature_png,
        )
        signed_pdf = sign_pdf(
            make_pdf(form, answers, block),
            key,
            reason=f"hrcities submission {submission_id}",
        )
    submission = Submission(
        id=submission_id,
        draft_id=draft_id,
        envelope=envelope,
        kid=key.kid,
        office_name=key.office_name,
        signer_name=signer_name,
        signer_position=signer_position,
        signed_at=signed_at,
        signature_image=signature_sha,
        signed_pdf=hashlib.sha256(signed_pdf).hexdigest() if signed_pdf else None,
    )
    store.record_signature(submission, signature_png, signed_pdf, signed_version=draft.updated_at)
    store.record_statement_language(draft_id, language)
    return submission
